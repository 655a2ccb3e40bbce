// A person's decision on a send held by the mailbox's send policy (SPEC §13).
//
// approveHeldMessage: at that moment the tenant's sending must not be paused, the
// mailbox must be active and its domain able to send, and the recipients must pass
// the send lists; then ONE transaction moves the message from pending_approval to
// queued (a row-level compare-and-set, so of two concurrent approvals exactly one
// wins and the other gets 409 not_pending_approval) and runs the send's own last
// statement (commitOutbound: suppression 422, limits 429, the outbox job, the
// recipients as correspondents), with the message.approved event and an audit row.
// A refusal rolls back and leaves the message waiting, so the approver can reject it
// or edit it. Edits (dashboard edit-then-approve) re-seal the message in the same
// transaction, after the same validation as a send.
//
// rejectHeldMessage: pending_approval → rejected with the reason; never sent.
import "server-only";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db";
import { assertDomainCanSend } from "@/lib/domains/verify-domain";
import { ApiError } from "@/lib/errors";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { assertRecipientsAllowed } from "@/lib/guardrails/lists";
import { assertSendingActive } from "@/lib/guardrails/sending-switch";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { getMessageDto } from "@/lib/messages/get-message";
import { encryptionsNeeded, type MessageContent } from "@/lib/messages/message-content";
import { attachmentInsertValues, insertAttachmentsSql } from "@/lib/messages/message-insert";
import type { MessageDto } from "@/lib/messages/schemas";
import { openMessage, sealMessage } from "@/lib/messages/seal-message";
import { assertCanSend } from "@/lib/outbound/accept-outbound";
import { normalizeAddress } from "@/lib/outbound/addresses";
import { commitOutbound, prismaTxQuery } from "@/lib/outbound/commit-outbound";
import { DELIVER_JOB } from "@/lib/outbound/deliver-message";
import { openOutboundContent } from "@/lib/outbound/load-outbound-content";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";
import type { ApprovalEdits } from "@/lib/outbound/schemas";
import { assertMessageSize, participants } from "@/lib/outbound/send-message";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

type HeldRef = { tenantId: string; mailboxId: string; messageId: string; actor: Actor };

const APPROVAL_TRANSACTION = { maxWait: 5_000, timeout: 20_000 };

function notPending(status?: string): ApiError {
  return status
    ? new ApiError("not_pending_approval", `This message is ${status}, not waiting for approval`, { status })
    : new ApiError("not_pending_approval", "This message is no longer waiting for approval (another decision came first)");
}

/** The outbound message of this mailbox, or 404 (another mailbox's message is indistinguishable from none). */
async function loadOutbound(ref: Omit<HeldRef, "actor">) {
  const row = await getDb().message.findFirst({
    where: { id: ref.messageId, tenantId: ref.tenantId, mailboxId: ref.mailboxId, direction: "outbound" },
    select: { id: true, threadId: true, status: true, metaCipher: true, bodyCipher: true, attachmentCount: true, createdAt: true },
  });
  if (!row) throw new ApiError("not_found", "Message not found");
  return row;
}

export async function approveHeldMessage(input: HeldRef & { edits?: ApprovalEdits }): Promise<MessageDto> {
  const { tenantId, mailboxId, messageId } = input;
  const scope = { tenantId, mailboxId };
  await assertSendingActive(tenantId);
  assertCanSend(await getMailboxOrThrow({ tenantId, id: mailboxId }));
  await assertDomainCanSend(tenantId, mailboxId);
  const row = await loadOutbound(input);
  if (row.status !== "pending_approval") throw notPending(row.status);

  const cipher = await getMailboxCipher(tenantId, mailboxId);
  let edited: MessageContent | null = null;
  if (input.edits) {
    assertMessageSize(input.edits);
    const stored = await openOutboundContent(cipher, scope, row);
    edited = {
      ...stored,
      to: participants(input.edits.to),
      cc: participants(input.edits.cc),
      bcc: participants(input.edits.bcc),
      subject: input.edits.subject,
      text: input.edits.text ?? null,
      html: input.edits.html ?? null,
    };
    await cipher.reserve(encryptionsNeeded(edited));
  }
  await cipher.reserve(1); // the event's data
  const meta = edited ?? openMessage(cipher, row, { full: false }).meta;
  const recipients = [...meta.to, ...meta.cc, ...meta.bcc].map((p) => p.address);
  await assertRecipientsAllowed(cipher, scope, recipients);
  const recipientHashes = new Map(recipients.map((a) => [suppressionHash(cipher, a), normalizeAddress(a)]));
  const sealed = edited ? await sealMessage(cipher, messageId, edited) : null;

  await getDb().$transaction(async (tx) => {
    const moved = await tx.$executeRaw`
      UPDATE "Message" SET status = 'queued', "updatedAt" = now()
      WHERE id = ${messageId} AND "tenantId" = ${tenantId} AND "mailboxId" = ${mailboxId} AND status = 'pending_approval'`;
    if (moved !== 1) throw notPending();
    if (sealed) {
      const c = sealed.columns;
      await tx.$executeRaw`
        UPDATE "Message" SET "metaCipher" = ${c.metaCipher}, "bodyCipher" = ${c.bodyCipher}, "searchTokens" = ${c.searchTokens}::text[],
          "sizeBytes" = ${c.sizeBytes}, "attachmentCount" = ${c.attachmentCount}
        WHERE id = ${messageId} AND "tenantId" = ${tenantId}`;
      // Attachments are kept, but sealMessage gives them new ids and ciphertext: replace the rows.
      await tx.attachment.deleteMany({ where: { ...scope, messageId } });
      if (sealed.attachments.length) {
        await tx.$executeRawUnsafe(
          insertAttachmentsSql(sealed.attachments.length),
          ...attachmentInsertValues({ id: messageId, tenantId, mailboxId, createdAt: row.createdAt }, sealed.attachments),
        );
      }
    }
    // Suppression, limits and the outbox job, exactly as an accepted send (a refusal throws and rolls back).
    await commitOutbound(prismaTxQuery(tx), { tenantId, mailboxId, id: messageId, jobKind: DELIVER_JOB, recipientHashes, idempotency: null }, null);
    await recordEvent(tx, {
      tenantId,
      mailboxId,
      cipher,
      type: "message.approved",
      data: messageEventData({ id: messageId, threadId: row.threadId, direction: "outbound", status: "queued" }),
    });
    await recordAuditEvent(tx, {
      tenantId,
      actor: input.actor,
      action: "message.approved",
      targetType: "message",
      targetId: messageId,
      metadata: { mailboxId, edited: edited !== null, recipientCount: recipientHashes.size },
    });
  }, APPROVAL_TRANSACTION);
  kickOutboxWorker();
  return getMessageDto({ tenantId, mailboxId, id: messageId });
}

export async function rejectHeldMessage(input: HeldRef & { reason?: string }): Promise<MessageDto> {
  const { tenantId, mailboxId, messageId } = input;
  const row = await loadOutbound(input);
  if (row.status !== "pending_approval") throw notPending(row.status);
  const reason = input.reason?.trim() ? `Rejected: ${input.reason.trim()}` : "Rejected by an approver";
  const cipher = await getMailboxCipher(tenantId, mailboxId);
  await cipher.reserve(1);
  await getDb().$transaction(async (tx) => {
    const moved = await tx.$executeRaw`
      UPDATE "Message" SET status = 'rejected', "statusReason" = ${reason}, "updatedAt" = now()
      WHERE id = ${messageId} AND "tenantId" = ${tenantId} AND "mailboxId" = ${mailboxId} AND status = 'pending_approval'`;
    if (moved !== 1) throw notPending();
    await recordEvent(tx, {
      tenantId,
      mailboxId,
      cipher,
      type: "message.rejected",
      data: messageEventData({ id: messageId, threadId: row.threadId, direction: "outbound", status: "rejected" }),
    });
    await recordAuditEvent(tx, {
      tenantId,
      actor: input.actor,
      action: "message.rejected",
      targetType: "message",
      targetId: messageId,
      metadata: { mailboxId, reason: input.reason?.trim() ? true : false },
    });
  }, APPROVAL_TRANSACTION);
  return getMessageDto({ tenantId, mailboxId, id: messageId });
}
