// Accepting an outbound message (send and reply share it). In order:
//   1. the mailbox must be active (a sm_mgmt_ key on a suspended mailbox: 403) and
//      the tenant's sending not paused (403 sending_paused, SPEC §13);
//   2. Idempotency-Key: claim it, or answer from the first request (replay / 422 / 409);
//   3. ONE transaction that first locks its idempotency record (a retry that took the
//      key over after our 30 s lock ran out wins: we roll back and answer with its
//      response or 409), then the message row (queued) and, in one statement, the
//      suppression check (422 listing the suppressed recipients; the send allow/block
//      lists are checked just before it: 422 recipient_not_allowed), the limit
//      consumption (429), the outbox job and the idempotency response; a refusal
//      rolls everything back, so nothing is stored and no provider is called
//      (storeOutboundNewThread for a new conversation, storeOutboundInThread for a reply);
//      Under the mailbox's send policy (SPEC §13) a send may instead be held: stored
//      with status pending_approval and its event, suppression checked, but no job
//      and no limit consumed until a person approves it (lib/outbound/approve-message.ts);
//   4. after the commit the local worker is kicked.
// Any failure before the commit releases the idempotency key.
import "server-only";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { assertRecipientsAllowed } from "@/lib/guardrails/lists";
import { sendNeedsApproval } from "@/lib/guardrails/send-policy";
import { assertSendingActive } from "@/lib/guardrails/sending-switch";
import {
  answerLostRequest,
  beginIdempotentRequest,
  IdempotencyRecordLost,
  releaseIdempotentRequest,
  sealIdempotentResponse,
} from "@/lib/idempotency/idempotency-records";
import type { MessageContent } from "@/lib/messages/message-content";
import { toMessageDto, type MessageDtoRow } from "@/lib/messages/message-dto";
import type { MessageDto } from "@/lib/messages/schemas";
import type { DecryptedMessage } from "@/lib/messages/seal-message";
import { prepareOutbound } from "@/lib/messages/store-message";
import { domainOf, normalizeAddress } from "@/lib/outbound/addresses";
import type { TxQuery } from "@/lib/outbound/commit-outbound";
import { DELIVER_JOB } from "@/lib/outbound/deliver-message";
import { withMailboxSendSlot } from "@/lib/outbound/mailbox-send-slots";
import { sendTestHooks } from "@/lib/outbound/send-test-hooks";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";
import { configuredProviderName } from "@/lib/outbound/providers/get-provider";
import { storeOutboundInThread } from "@/lib/outbound/store-outbound-in-thread";
import { storeOutboundNewThread } from "@/lib/outbound/store-outbound-new-thread";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";
import { assertDomainCanSend } from "@/lib/domains/verify-domain";

export type SendingMailbox = { id: string; tenantId: string; address: string; displayName: string | null; status: string };

export type Idempotency = { key: string; requestHash: string } | null;

/** Something the sender should know about an accepted message, e.g. `recipient_dropped`. */
export type AcceptWarning = { code: string; message: string };
/** Which way in asked for the send: REST (null) or the MCP server. Stored on the message, nothing else differs. */
export type SendVia = "mcp" | null;

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
  via?: SendVia;
  build: (messageId: string) => Promise<{ content: MessageContent; threadId?: string | null; warnings?: AcceptWarning[] }>;
  /**
   * One more statement of the send's own transaction, after the message row is written
   * (a sent draft is deleted here: it becomes the message, or nothing changes). Throw to refuse.
   */
  inTransaction?: (query: TxQuery) => Promise<void>;
}): Promise<AcceptedResponse> {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);
  await assertSendingActive(tenantId);
  await assertDomainCanSend(tenantId, mailbox.id);

  let recordId: string | null = null;
  if (input.idempotency) {
    const begun = await beginIdempotentRequest({ tenantId, mailboxId: mailbox.id, ...input.idempotency });
    if (begun.kind === "replay") return { status: begun.status, body: begun.body, replayed: true };
    recordId = begun.recordId;
  }

  try {
    const id = uuidv7();
    const { content, threadId, warnings = [] } = await input.build(id);
    const { cipher } = await prepareOutbound({ tenantId, mailboxId: mailbox.id, content });
    if (recordId) await cipher.reserve(1);
    const recipients = [...content.to, ...content.cc, ...content.bcc];
    // The mailbox's send allow/block lists (SPEC §13): 422 recipient_not_allowed naming them.
    await assertRecipientsAllowed(cipher, { tenantId, mailboxId: mailbox.id }, recipients.map((p) => p.address));
    const recipientHashes = new Map<string, string>();
    for (const p of recipients) {
      recipientHashes.set(suppressionHash(cipher, p.address), normalizeAddress(p.address));
    }
    const held = await sendNeedsApproval({ tenantId, mailboxId: mailbox.id, recipientHashes: [...recipientHashes.keys()] });

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
      // Warnings (a reply that dropped an unusable recipient) are part of the response, replays included.
      toDto: (row: MessageDtoRow, decrypted: DecryptedMessage) => ({
        ...toMessageDto(row, decrypted, { full: true }),
        ...(warnings.length ? { warnings } : {}),
      }),
      via: input.via ?? null,
      inTransaction: input.inTransaction,
      status: held ? ("pending_approval" as const) : ("queued" as const),
    };
    await sendTestHooks.beforeStore?.();
    // A new conversation is one statement on the hot path; a reply updates its thread.
    const isNewThread = !held && !threadId && !content.inReplyTo && content.references.length === 0;
    const body = await withMailboxSendSlot(mailbox.id, () =>
      isNewThread ? storeOutboundNewThread(store) : storeOutboundInThread({ ...store, threadId: threadId ?? null }),
    );
    if (!held) kickOutboxWorker();
    return { status: 202, body, replayed: false };
  } catch (err) {
    if (recordId && input.idempotency && err instanceof IdempotencyRecordLost) {
      // Our lock expired and a retry took the key: nothing of ours was stored; answer as it does.
      const answer = await answerLostRequest({ tenantId, mailboxId: mailbox.id, ...input.idempotency });
      if (answer.kind === "replay") return { status: answer.status, body: answer.body, replayed: true };
      throw new ApiError("idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry shortly");
    }
    if (recordId) await releaseIdempotentRequest({ tenantId, recordId });
    throw err;
  }
}
