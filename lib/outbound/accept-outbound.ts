// Accepting an outbound message (send and reply share it). In order:
//   1. the mailbox must be active (a sm_mgmt_ key on a suspended mailbox: 403);
//   2. Idempotency-Key: claim it, or answer from the first request (replay / 422 / 409);
//   3. ONE transaction: the message row (queued) and, in one statement, the
//      suppression check (422 listing the suppressed recipients), the limit
//      consumption (429), the outbox job and the idempotency response; a refusal
//      rolls everything back, so nothing is stored and no provider is called
//      (storeNewSend for a new conversation, storeThreadedSend for a reply);
//   4. after the commit the local worker is kicked.
// Any failure before the commit releases the idempotency key.
import "server-only";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { beginIdempotentRequest, releaseIdempotentRequest, sealIdempotentResponse } from "@/lib/idempotency/idempotency-records";
import type { MessageContent } from "@/lib/messages/message-content";
import { toMessageDto, type MessageDtoRow } from "@/lib/messages/message-dto";
import type { MessageDto } from "@/lib/messages/schemas";
import type { DecryptedMessage } from "@/lib/messages/seal-message";
import { prepareOutbound } from "@/lib/messages/store-message";
import { domainOf, normalizeAddress } from "@/lib/outbound/addresses";
import { DELIVER_JOB } from "@/lib/outbound/deliver-message";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";
import { configuredProviderName } from "@/lib/outbound/providers/get-provider";
import { storeNewSend } from "@/lib/outbound/store-new-send";
import { storeThreadedSend } from "@/lib/outbound/store-threaded-send";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

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

    const store = {
      tenantId,
      mailboxId: mailbox.id,
      id,
      content,
      cipher,
      provider: configuredProviderName(),
      jobKind: DELIVER_JOB,
      recipientHashes,
      idempotency: recordId ? { recordId, status: 202, seal: (dto: unknown) => sealIdempotentResponse(cipher, recordId!, dto) } : null,
      toDto: (row: MessageDtoRow, decrypted: DecryptedMessage) => toMessageDto(row, decrypted, { full: true }),
    };
    // A new conversation is one statement on the hot path; a reply updates its thread.
    const isNewThread = !threadId && !content.inReplyTo && content.references.length === 0;
    const body = isNewThread ? await storeNewSend(store) : await storeThreadedSend({ ...store, threadId: threadId ?? null });
    kickOutboxWorker();
    return { status: 202, body, replayed: false };
  } catch (err) {
    if (recordId) await releaseIdempotentRequest({ tenantId, recordId });
    throw err;
  }
}
