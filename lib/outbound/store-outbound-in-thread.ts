// An outbound message that joins an existing thread (a reply): the message store's writer in a
// Prisma transaction (it updates the thread), then one statement for suppression,
// limits, the outbox job and the idempotency response (commitOutbound). A send held
// for approval (any thread or none) is stored here too, with its
// message.pending_approval event in the same transaction.
import "server-only";
import { getDb } from "@/lib/db";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { lockIdempotencyRecord } from "@/lib/idempotency/idempotency-records";
import { openMessage, sealMessage } from "@/lib/messages/seal-message";
import { storeOutboundMessage } from "@/lib/messages/store-message";
import { commitOutbound, prismaTxQuery } from "@/lib/outbound/commit-outbound";
import type { OutboundStoreInput } from "@/lib/outbound/store-outbound-new-thread";

// Waiting for a pooled connection under a burst is normal; the transaction itself is
// short. Both bounds stay under the 30 s idempotency lock (and the record is locked first).
const SEND_TRANSACTION = { maxWait: 5_000, timeout: 20_000 };

export async function storeOutboundInThread(input: OutboundStoreInput & { threadId: string | null }): Promise<unknown> {
  const { tenantId, mailboxId, id, cipher } = input;
  // Sealed before a connection is taken: large attachments are sealed by an offload worker meanwhile.
  const sealed = await sealMessage(cipher, id, input.content);
  return getDb().$transaction(async (tx) => {
    if (input.idempotency) {
      await lockIdempotencyRecord(prismaTxQuery(tx), { tenantId, recordId: input.idempotency.recordId });
    }
    const row = await storeOutboundMessage(tx, {
      tenantId,
      mailboxId,
      id,
      threadId: input.threadId,
      content: input.content,
      status: input.status,
      cipher,
      provider: input.provider,
      via: input.via,
      sealed,
    });
    const dto = input.toDto(row, openMessage(cipher, row, { full: true }));
    await input.inTransaction?.(prismaTxQuery(tx));
    await commitOutbound(prismaTxQuery(tx), input, dto);
    if (input.status === "pending_approval") {
      await recordEvent(tx, { tenantId, mailboxId, cipher, type: "message.pending_approval", data: messageEventData(row) });
    }
    return dto;
  }, SEND_TRANSACTION);
}
