// Quarantine (SPEC §13): with a non-empty receive allow list (the mailbox's or the
// tenant's), mail from a sender it does not name is held here instead of becoming a
// message. A held message is not a Message row at all, so no agent path can list,
// search, count, fetch, wait for or be told about it. Owners and admins see it in the
// dashboard and release it (it is then stored as a new inbound message and announced
// with message.received, exactly once) or delete it. Both are audited.
//
// The parsed content (attachments included) is sealed under the mailbox DEK as one
// field; a small summary (from, subject, snippet) is sealed apart for the list.
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getDb, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { contentSizeBytes, encryptionsNeeded, makeSnippet, type MessageContent, type Participant } from "@/lib/messages/message-content";
import { messageIdHash } from "@/lib/messages/seal-message";
import { screenMessage } from "@/lib/messages/screen-message";
import { storeInboundMessageInTx } from "@/lib/messages/store-message";
import { decodeCursor, toPage } from "@/lib/pagination";

const FIELD = { meta: "quarantine.meta", content: "quarantine.content" } as const;

/** Encryptions a held message needs (its summary and its content). */
export const QUARANTINE_ENCRYPTIONS = 2;

type QuarantineMeta = { from: Participant; to: Participant[]; subject: string; snippet: string };

type SealedContent = Omit<MessageContent, "attachments"> & {
  attachments: (Omit<MessageContent["attachments"][number], "content"> & { content: string })[];
};

function sealContent(content: MessageContent): string {
  const sealed: SealedContent = { ...content, attachments: content.attachments.map((a) => ({ ...a, content: a.content.toString("base64") })) };
  return JSON.stringify(sealed);
}

function openContent(cipher: MailboxCipher, row: { id: string; contentCipher: Uint8Array }): MessageContent {
  const sealed = cipher.decryptJson<SealedContent>(row.id, FIELD.content, row.contentCipher);
  return { ...sealed, attachments: sealed.attachments.map((a) => ({ ...a, content: Buffer.from(a.content, "base64") })) };
}

/**
 * Holds one inbound copy inside the delivery's transaction; a redelivery of the same
 * Message-ID is held once. The cipher must have reserved QUARANTINE_ENCRYPTIONS.
 */
export async function quarantineInTx(
  tx: Tx,
  input: { tenantId: string; mailboxId: string; cipher: MailboxCipher; content: MessageContent; receivedAt: Date },
): Promise<{ held: boolean }> {
  const { tenantId, mailboxId, cipher, content } = input;
  const id = uuidv7();
  const meta: QuarantineMeta = { from: content.from, to: content.to, subject: content.subject, snippet: makeSnippet(content) };
  const metaCipher = new Uint8Array(cipher.encryptJson(id, FIELD.meta, meta));
  const contentCipher = new Uint8Array(cipher.encrypt(id, FIELD.content, sealContent(content)));
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "QuarantinedMessage" (id, "tenantId", "mailboxId", "rfcMessageIdHash", "metaCipher", "contentCipher", "sizeBytes", "attachmentCount", "receivedAt")
    VALUES (${id}, ${tenantId}, ${mailboxId}, ${messageIdHash(cipher, content.messageId)}, ${metaCipher}, ${contentCipher},
      ${contentSizeBytes(content)}, ${content.attachments.length}, ${input.receivedAt})
    ON CONFLICT ("mailboxId", "rfcMessageIdHash") DO NOTHING
    RETURNING id`;
  return { held: rows.length > 0 };
}

export type QuarantinedSummary = {
  id: string;
  mailboxId: string;
  mailboxAddress: string;
  from: Participant;
  to: Participant[];
  subject: string;
  snippet: string;
  sizeBytes: number;
  attachmentCount: number;
  receivedAt: string;
};

/** Held messages of the tenant (or of one mailbox), newest first. For owners and admins in the dashboard. */
export async function listQuarantined(input: { tenantId: string; mailboxId?: string | null; limit: number; cursor?: string | null }) {
  const before = decodeCursor(input.cursor ?? undefined);
  const rows = await getDb().quarantinedMessage.findMany({
    // A deleted mailbox's held mail is unreadable (its key is shredded) until the purge removes it.
    where: {
      tenantId: input.tenantId,
      mailbox: { status: { not: "deleted" } },
      ...(input.mailboxId ? { mailboxId: input.mailboxId } : {}),
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    select: { id: true, mailboxId: true, metaCipher: true, sizeBytes: true, attachmentCount: true, receivedAt: true, mailbox: { select: { address: true } } },
  });
  const page = toPage(rows, input.limit);
  const data: QuarantinedSummary[] = [];
  for (const row of page.data) {
    const cipher = await getMailboxCipher(input.tenantId, row.mailboxId);
    const meta = cipher.decryptJson<QuarantineMeta>(row.id, FIELD.meta, row.metaCipher);
    data.push({
      id: row.id,
      mailboxId: row.mailboxId,
      mailboxAddress: row.mailbox.address,
      ...meta,
      sizeBytes: row.sizeBytes,
      attachmentCount: row.attachmentCount,
      receivedAt: row.receivedAt.toISOString(),
    });
  }
  return { data, nextCursor: page.nextCursor };
}

export async function countQuarantined(tenantId: string): Promise<number> {
  return getDb().quarantinedMessage.count({ where: { tenantId, mailbox: { status: { not: "deleted" } } } });
}

/** One held message with its content, for the dashboard to render (sanitised HTML in a sandbox, or text). */
export async function getQuarantined(input: { tenantId: string; id: string }) {
  const row = await getDb().quarantinedMessage.findFirst({
    where: { tenantId: input.tenantId, id: input.id },
    select: { id: true, mailboxId: true, contentCipher: true, receivedAt: true, mailbox: { select: { address: true } } },
  });
  if (!row) throw new ApiError("not_found", "No such message in quarantine");
  const content = openContent(await getMailboxCipher(input.tenantId, row.mailboxId), row);
  return {
    id: row.id,
    mailboxId: row.mailboxId,
    mailboxAddress: row.mailbox.address,
    receivedAt: row.receivedAt.toISOString(),
    from: content.from,
    to: content.to,
    cc: content.cc,
    subject: content.subject,
    text: content.text,
    html: content.html,
    attachments: content.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })),
    // The advisory screening flags it will carry once released, to help decide.
    securityFlags: screenMessage(content),
  };
}

const RELEASE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

/**
 * Releases a held message: in ONE transaction its quarantine row is deleted (a
 * concurrent release waits on that row, then finds nothing: 404) and it is stored as
 * an inbound message, which records message.received (events, webhooks, stream,
 * wait_for_message). A mailbox that already has that Message-ID keeps its copy.
 */
export async function releaseQuarantined(input: { tenantId: string; id: string; actor: Actor }): Promise<{ messageId: string; mailboxId: string }> {
  const row = await getDb().quarantinedMessage.findFirst({ where: { tenantId: input.tenantId, id: input.id } });
  if (!row) throw new ApiError("not_found", "No such message in quarantine");
  const cipher = await getMailboxCipher(input.tenantId, row.mailboxId);
  const content = openContent(cipher, row);
  await cipher.reserve(encryptionsNeeded(content));
  // Screened before the transaction, like arriving mail (one linear pass).
  const securityFlags = screenMessage(content);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.quarantinedMessage.deleteMany({ where: { tenantId: input.tenantId, id: row.id } });
    if (count === 0) throw new ApiError("not_found", "No such message in quarantine (it was released or deleted meanwhile)");
    const { message } = await storeInboundMessageInTx(tx, { tenantId: input.tenantId, mailboxId: row.mailboxId, content, cipher, receivedAt: new Date(), securityFlags });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "quarantine.released",
      targetType: "message",
      targetId: message.id,
      metadata: { mailboxId: row.mailboxId, quarantineId: row.id },
    });
    return { messageId: message.id, mailboxId: row.mailboxId };
  }, RELEASE_TRANSACTION);
}

/** Deletes a held message for good. */
export async function deleteQuarantined(input: { tenantId: string; id: string; actor: Actor }): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ mailboxId: string }[]>`
      DELETE FROM "QuarantinedMessage" WHERE id = ${input.id} AND "tenantId" = ${input.tenantId} RETURNING "mailboxId"`;
    if (rows.length === 0) throw new ApiError("not_found", "No such message in quarantine");
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "quarantine.deleted",
      targetType: "quarantined_message",
      targetId: input.id,
      metadata: { mailboxId: rows[0].mailboxId },
    });
  });
}
