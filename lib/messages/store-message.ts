// The message store: every message row, inbound or outbound, is sealed by
// sealMessage() (lib/messages/seal-message.ts) and inserted by the one INSERT in
// lib/messages/message-insert.ts. Writers:
//   - storeInboundMessage(): received mail, stored once per RFC Message-ID and mailbox;
//   - storeOutboundMessage(): an outbound row inside the caller's transaction (a reply:
//     lib/outbound/store-outbound-in-thread.ts);
//   - the send fast path for a new conversation (lib/outbound/store-outbound-new-thread.ts)
//     seals with sealMessage() and puts the same INSERT into its one statement.
//
// Encryption budget: a MailboxCipher must reserve() its encryptions before
// encrypting, and reserving may write to the database. Do it BEFORE opening the
// transaction (prepareOutbound() does it for you), so the transaction holds no
// second connection:
//
//   const { cipher } = await prepareOutbound({ tenantId, mailboxId, content });
//   await db.$transaction(async (tx) => {
//     const row = await storeOutboundMessage(tx, { tenantId, mailboxId, content, status: "queued", cipher });
//     … limits, outbox job …
//   });
import "server-only";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { getDb, type Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import type { Message } from "@/lib/generated/prisma/client";
import { encryptionsNeeded, normalizeMessageId, type MessageContent } from "@/lib/messages/message-content";
import { attachmentInsertValues, insertAttachmentsSql, insertMessageSql, messageInsertValues, type MessageInsert } from "@/lib/messages/message-insert";
import { screenMessage, type SecurityFlag } from "@/lib/messages/screen-message";
import { messageIdHash, sealMessage, type SealedMessage } from "@/lib/messages/seal-message";
import { rememberCorrespondents } from "@/lib/guardrails/send-policy";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

export type { MessageContent, Participant } from "@/lib/messages/message-content";
export { toMessageDto } from "@/lib/messages/message-dto";
export { getMessageDto } from "@/lib/messages/get-message";
export type { MessageDto } from "@/lib/messages/schemas";

export type MessageRow = Message;

/** Gets the mailbox's cipher and reserves what storing `content` will encrypt. Call before the transaction. */
export async function prepareOutbound(input: { tenantId: string; mailboxId: string; content: Pick<MessageContent, "attachments"> }) {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  await cipher.reserve(encryptionsNeeded(input.content));
  return { cipher };
}

/** The thread of the newest stored message this one replies to, by In-Reply-To then References. */
async function findParentThread(tx: Tx, scope: { tenantId: string; mailboxId: string }, cipher: MailboxCipher, content: MessageContent) {
  const ids = [content.inReplyTo, ...[...content.references].reverse()].filter((v): v is string => !!v && !!normalizeMessageId(v));
  if (ids.length === 0) return null;
  const hashes = [...new Set(ids.slice(0, 100).map((id) => messageIdHash(cipher, id)))];
  const parents = await tx.message.findMany({
    where: { ...scope, rfcMessageIdHash: { in: hashes } },
    select: { threadId: true, rfcMessageIdHash: true },
  });
  for (const hash of hashes) {
    const parent = parents.find((p) => p.rfcMessageIdHash === hash);
    if (parent) return parent.threadId;
  }
  return null;
}

async function resolveThread(
  tx: Tx,
  scope: { tenantId: string; mailboxId: string },
  cipher: MailboxCipher,
  content: MessageContent,
  at: Date,
  threadId: string | null | undefined,
): Promise<string> {
  let id = threadId ?? null;
  if (id) {
    const thread = await tx.thread.findFirst({ where: { ...scope, id }, select: { id: true } });
    if (!thread) throw new ApiError("not_found", "Thread not found");
  } else {
    id = await findParentThread(tx, scope, cipher, content);
  }
  if (id) {
    await tx.thread.updateMany({ where: { ...scope, id }, data: { messageCount: { increment: 1 } } });
    // Mail can arrive out of order (receivedAt in the past): the thread keeps its latest time.
    await tx.thread.updateMany({ where: { ...scope, id, lastMessageAt: { lt: at } }, data: { lastMessageAt: at } });
    return id;
  }
  const created = await tx.thread.create({
    data: { id: uuidv7(), ...scope, messageCount: 1, lastMessageAt: at, createdAt: at },
  });
  return created.id;
}

type WriteInput = {
  tenantId: string;
  mailboxId: string;
  id: string;
  threadId?: string | null;
  content: MessageContent;
  cipher: MailboxCipher;
  direction: "inbound" | "outbound";
  status: MessageInsert["status"];
  labels: string[];
  provider?: string | null;
  via?: string | null;
  securityFlags?: string[];
  createdAt: Date;
  /** The message sealed before the transaction (sealMessage with this id), so no lock is held while it is. */
  sealed?: SealedMessage;
};

async function writeMessage(tx: Tx, input: WriteInput): Promise<MessageRow> {
  const { tenantId, mailboxId, cipher, content, id } = input;
  if (cipher.tenantId !== tenantId || cipher.mailboxId !== mailboxId) {
    throw new Error("storeMessage: the cipher belongs to another mailbox");
  }
  const scope = { tenantId, mailboxId };
  const threadId = await resolveThread(tx, scope, cipher, content, input.createdAt, input.threadId);
  const { columns, attachments } = input.sealed ?? (await sealMessage(cipher, id, content));
  const insert: MessageInsert = {
    id,
    ...scope,
    threadId,
    direction: input.direction,
    status: input.status,
    labels: input.labels,
    provider: input.provider ?? null,
    via: input.via ?? null,
    securityFlags: input.securityFlags ?? [],
    createdAt: input.createdAt,
    ...columns,
  };
  await tx.$executeRawUnsafe(insertMessageSql(1), ...messageInsertValues(insert));
  if (attachments.length) await tx.$executeRawUnsafe(insertAttachmentsSql(attachments.length), ...attachmentInsertValues(insert, attachments));
  // The row as stored: the columns above and the table's defaults.
  return { ...insert, securityFlags: insert.securityFlags ?? [], read: false, providerMessageId: null, statusReason: null, sentAt: null, updatedAt: input.createdAt };
}

/**
 * Stores an outbound message inside the caller's transaction (the send commits the
 * message, the limit consumption and the outbox job together). The cipher must
 * have reserved encryptionsNeeded(content) first: see prepareOutbound().
 * threadId: the thread of the message replied to; without it, In-Reply-To/References decide.
 */
export async function storeOutboundMessage(
  tx: Tx,
  input: {
    tenantId: string;
    mailboxId: string;
    id?: string;
    threadId?: string | null;
    content: MessageContent;
    status: "queued" | "pending_approval";
    cipher: MailboxCipher;
    provider?: string;
    via?: string | null;
    /** Sealed before the transaction with the same id (large attachments take a while). */
    sealed?: SealedMessage;
  },
): Promise<MessageRow> {
  if (input.sealed && !input.id) throw new Error("storeOutboundMessage: a message sealed in advance needs its id");
  return writeMessage(tx, {
    tenantId: input.tenantId,
    mailboxId: input.mailboxId,
    id: input.id ?? uuidv7(),
    threadId: input.threadId,
    content: input.content,
    cipher: input.cipher,
    direction: "outbound",
    status: input.status,
    labels: [],
    provider: input.provider ?? null,
    via: input.via ?? null,
    createdAt: new Date(),
    sealed: input.sealed,
  });
}

/**
 * Stores one inbound copy inside the caller's transaction, at most once per RFC
 * Message-ID and mailbox: a transaction-scoped advisory lock on (mailbox, Message-ID)
 * makes a concurrent delivery of the same message wait for this one's commit and then
 * find it, so two racing deliveries store one message and neither fails. The cipher
 * must have reserved encryptionsNeeded(content) first (before the transaction).
 * threadId: a thread to join (a bounce joins the thread of the message it reports).
 */
export async function storeInboundMessageInTx(
  tx: Tx,
  input: {
    tenantId: string;
    mailboxId: string;
    content: MessageContent;
    cipher: MailboxCipher;
    threadId?: string | null;
    receivedAt?: Date;
    labels?: string[];
    /** Screening flags computed before the transaction (ingestMessage does it once for all copies); else here. */
    securityFlags?: SecurityFlag[];
    /** The copy sealed before the transaction under this id (large attachments take a while); unused for a duplicate. */
    presealed?: { id: string; sealed: SealedMessage };
  },
): Promise<{ message: MessageRow; duplicate: boolean }> {
  const { tenantId, mailboxId, content, cipher } = input;
  const hash = messageIdHash(cipher, content.messageId);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`inbound:${mailboxId}:${hash}`}, 0))`;
  const existing = await tx.message.findFirst({ where: { tenantId, mailboxId, rfcMessageIdHash: hash } });
  if (existing) return { message: existing, duplicate: true };
  const message = await writeMessage(tx, {
    tenantId,
    mailboxId,
    id: input.presealed?.id ?? uuidv7(),
    sealed: input.presealed?.sealed,
    threadId: input.threadId,
    content,
    cipher,
    direction: "inbound",
    status: "received",
    labels: input.labels ?? [],
    securityFlags: input.securityFlags ?? screenMessage(content),
    createdAt: input.receivedAt ?? new Date(),
  });
  // Whoever wrote first is someone this mailbox exchanged mail with (send policy approval_new_recipients).
  await rememberCorrespondents(tx, { tenantId, mailboxId, addressHashes: content.from.address.includes("@") ? [suppressionHash(cipher, content.from.address)] : [] });
  await recordEvent(tx, { tenantId, mailboxId, cipher, type: "message.received", data: messageEventData(message) });
  return { message, duplicate: false };
}

/** storeInboundMessageInTx in a transaction of its own. */
export async function storeInboundMessage(input: {
  tenantId: string;
  mailboxId: string;
  content: MessageContent;
  receivedAt?: Date;
  labels?: string[];
}): Promise<{ message: MessageRow; duplicate: boolean }> {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  await cipher.reserve(encryptionsNeeded(input.content));
  const securityFlags = screenMessage(input.content);
  const id = uuidv7();
  const presealed = { id, sealed: await sealMessage(cipher, id, input.content) };
  // Concurrent copies to one tenant queue on its event counter row until commit: wait for it.
  return getDb().$transaction((tx) => storeInboundMessageInTx(tx, { ...input, cipher, securityFlags, presealed }), { maxWait: 10_000, timeout: 30_000 });
}
