// Accepting an outbound message (send and reply share it). In order:
//   1. the mailbox must be active (a sm_mgmt_ key on a suspended mailbox: 403);
//   2. Idempotency-Key: claim it, or answer from the first request (replay / 422 / 409);
//   3. ONE transaction: the message row (queued), then one statement that checks
//      suppression (422 listing the suppressed recipients), consumes the limits
//      (429), writes the outbox job and the idempotency response; a refusal rolls
//      the message back, so nothing is stored and no provider is called;
//   4. after the commit the local worker is kicked.
// Any failure before the commit releases the idempotency key.
import "server-only";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/http/errors";
import { beginIdempotentRequest, releaseIdempotentRequest, sealIdempotentResponse } from "@/lib/http/idempotency";
import type { MessageContent } from "@/lib/messages/message-content";
import { toMessageDto } from "@/lib/messages/message-dto";
import type { MessageDto } from "@/lib/messages/schemas";
import { openMessage } from "@/lib/messages/seal-message";
import { prepareOutbound, storeOutboundMessage } from "@/lib/messages/store-message";
import { domainOf } from "@/lib/outbound/addresses";
import { DELIVER_JOB } from "@/lib/outbound/deliver-message";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";
import { configuredProviderName } from "@/lib/outbound/providers/get-provider";
import { commitOutbound } from "@/lib/outbound/commit-outbound";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";
import { normalizeAddress } from "@/lib/outbound/addresses";

// Waiting for a pooled connection under a burst is normal; the transaction itself is short.
const SEND_TRANSACTION = { maxWait: 10_000, timeout: 20_000 };

export type SendingMailbox = { id: string; tenantId: string; address: string; displayName: string | null; status: string };

export type Idempotency = { key: string; requestHash: string } | null;

export type AcceptedResponse = { status: number; body: MessageDto | unknown; replayed: boolean };

/** Message-ID of an outbound message: <message id @ the mailbox's domain>. */
export function outboundMessageId(messageId: string, mailboxAddress: string): string {
  return `<${messageId}@${domainOf(mailboxAddress)}>`;
}

export function assertCanSend(mailbox: SendingMailbox): void {
  if (mailbox.status !== "active") throw new ApiError("mailbox_suspended", "This mailbox is suspended and cannot send");
}

/**
 * Runs steps 2-4 for content built by the caller. `build(id)` gets the new message id
 * (for its Message-ID) and returns the content and, for replies, the thread.
 */
export async function acceptOutbound(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  idempotency: Idempotency;
  build: (messageId: string) => Promise<{ content: MessageContent; threadId?: string | null }>;
}): Promise<AcceptedResponse> {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);

  let recordId: string | null = null;
  if (input.idempotency) {
    const begun = await beginIdempotentRequest({ tenantId, mailboxId: mailbox.id, ...input.idempotency });
    if (begun.kind === "replay") return { status: begun.status, body: begun.body, replayed: true };
    recordId = begun.recordId;
  }

  try {
    const id = uuidv7();
    const { content, threadId } = await input.build(id);
    const { cipher } = await prepareOutbound({ tenantId, mailboxId: mailbox.id, content });
    if (recordId) await cipher.reserve(1);
    const recipientHashes = new Map<string, string>();
    for (const p of [...content.to, ...content.cc, ...content.bcc]) {
      recipientHashes.set(suppressionHash(cipher, p.address), normalizeAddress(p.address));
    }

    const body = await getDb().$transaction(async (tx) => {
      const row = await storeOutboundMessage(tx, {
        tenantId,
        mailboxId: mailbox.id,
        id,
        threadId: threadId ?? null,
        content,
        status: "queued",
        cipher,
        provider: configuredProviderName(),
      });
      const dto = toMessageDto(row, openMessage(cipher, row, { full: true }), { full: true });
      await commitOutbound(tx, {
        tenantId,
        mailboxId: mailbox.id,
        messageId: id,
        jobId: uuidv7(),
        jobKind: DELIVER_JOB,
        recipientHashes,
        idempotency: recordId ? { recordId, status: 202, sealed: sealIdempotentResponse(cipher, recordId, dto) } : null,
      });
      return dto;
    }, SEND_TRANSACTION);
    kickOutboxWorker();
    return { status: 202, body, replayed: false };
  } catch (err) {
    if (recordId) await releaseIdempotentRequest({ tenantId, recordId });
    throw err;
  }
}
