// The INSERTs into "Message" and "Attachment", written once. The send fast path puts
// them inside its one-statement acceptance (raw pg); the message store runs them in a
// Prisma transaction. Both take the sealed columns from sealMessage().
import "server-only";
import type { SealedAttachment, SealedMessageColumns } from "@/lib/messages/seal-message";

export type MessageInsert = SealedMessageColumns & {
  id: string;
  tenantId: string;
  mailboxId: string;
  threadId: string;
  direction: "inbound" | "outbound";
  status: "received" | "queued" | "pending_approval";
  labels: string[];
  provider: string | null;
  /** "mcp" for a send through the MCP server; null for REST and inbound mail. */
  via: string | null;
  /** Screening flags of inbound mail (lib/messages/screen-message.ts); empty when omitted. */
  securityFlags?: string[];
  createdAt: Date;
};

// Column → the cast its parameter needs.
const MESSAGE_COLUMNS = [
  ["id", ""],
  ["tenantId", ""],
  ["mailboxId", ""],
  ["threadId", ""],
  ["direction", `::"Direction"`],
  ["status", `::"MessageStatus"`],
  ["labels", "::text[]"],
  ["metaCipher", "::bytea"],
  ["bodyCipher", "::bytea"],
  ["rfcMessageIdHash", ""],
  ["searchTokens", "::text[]"],
  ["sizeBytes", "::int"],
  ["attachmentCount", "::int"],
  ["provider", ""],
  ["via", ""],
  ["securityFlags", "::text[]"],
  ["createdAt", "::timestamp"],
  ["updatedAt", "::timestamp"],
] as const;

/**
 * INSERT of one message row, its values in $first… (messageInsertValues order).
 * `from` names a CTE the row depends on (the fast path's new thread): no row there, no message.
 * `threadId` takes the thread from an expression over `from` instead of its parameter
 * (which the caller must still use elsewhere in the statement); `tail` replaces
 * "RETURNING id" (inbound's fast path: ON CONFLICT … DO NOTHING RETURNING …).
 */
export function insertMessageSql(first: number, options: { from?: string; threadId?: string; tail?: string } = {}): string {
  const names = MESSAGE_COLUMNS.map(([name]) => `"${name}"`).join(", ");
  const values = MESSAGE_COLUMNS.map(([name, cast], i) => (name === "threadId" && options.threadId ? options.threadId : `$${first + i}${cast}`)).join(", ");
  return `INSERT INTO "Message" (${names}) SELECT ${values}${options.from ? ` FROM ${options.from}` : ""} ${options.tail ?? "RETURNING id"}`;
}

/** The parameter number of the thread id in an insertMessageSql(first) statement. */
export function messageThreadParam(first: number): number {
  return first + MESSAGE_COLUMNS.findIndex(([name]) => name === "threadId");
}

/** A Buffer over the same memory (no copy: attachment ciphertext can be 25 MB). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function messageInsertValues(row: MessageInsert): unknown[] {
  // Timestamps are stored without a time zone, in UTC: an ISO string cast to timestamp keeps them so.
  const at = row.createdAt.toISOString();
  return [
    row.id,
    row.tenantId,
    row.mailboxId,
    row.threadId,
    row.direction,
    row.status,
    row.labels,
    asBuffer(row.metaCipher),
    asBuffer(row.bodyCipher),
    row.rfcMessageIdHash,
    row.searchTokens,
    row.sizeBytes,
    row.attachmentCount,
    row.provider,
    row.via,
    row.securityFlags ?? [],
    at,
    at,
  ];
}

export const MESSAGE_INSERT_PARAMS = MESSAGE_COLUMNS.length;

const ATTACHMENT_COLUMNS = `id, "tenantId", "mailboxId", "messageId", "metaCipher", "dataCipher", size, inline, "createdAt"`;
const ATTACHMENT_PARAMS = 9;

/** INSERT of a message's attachments, their values in $1… (attachmentInsertValues order). */
export function insertAttachmentsSql(count: number): string {
  const rows = Array.from({ length: count }, (_, r) => {
    const p = (i: number) => `$${r * ATTACHMENT_PARAMS + i}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}::bytea, ${p(6)}::bytea, ${p(7)}::int, ${p(8)}::boolean, ${p(9)}::timestamp)`;
  });
  return `INSERT INTO "Attachment" (${ATTACHMENT_COLUMNS}) VALUES ${rows.join(", ")}`;
}

export function attachmentInsertValues(message: Pick<MessageInsert, "id" | "tenantId" | "mailboxId" | "createdAt">, attachments: SealedAttachment[]): unknown[] {
  const at = message.createdAt.toISOString();
  return attachments.flatMap((a) => [
    a.id,
    message.tenantId,
    message.mailboxId,
    message.id,
    asBuffer(a.metaCipher),
    asBuffer(a.dataCipher),
    a.size,
    a.inline,
    at,
  ]);
}
