import "server-only";
import { getPool } from "@/lib/db";
import { decodeCursor, toPage } from "@/lib/pagination";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openMessage } from "@/lib/messages/seal-message";
import { toMessageDto, type MessageDtoRow } from "@/lib/messages/message-dto";
import { queryTokens } from "@/lib/messages/search-tokens";
import type { MessageDto } from "@/lib/messages/schemas";

export type ListMessagesInput = {
  tenantId: string;
  mailboxId: string;
  limit: number;
  cursor?: string;
  direction?: "inbound" | "outbound";
  /** Not a REST filter (yet): the dashboard's status filter. */
  status?: MessageDto["status"];
  unread?: boolean;
  threadId?: string;
  label?: string;
  q?: string;
  /** Only messages newer than this message id (UUIDv7 order). */
  after?: string;
};

export type ListRow = MessageDtoRow & { metaCipher: Uint8Array };

/**
 * The list's rows: the columns a list shows, never the body or the search tokens
 * (which can be large). Prisma stores DateTime as UTC "timestamp without time zone",
 * read here AT TIME ZONE 'UTC' so node-postgres does not take it for local time. Plain node-postgres rather than Prisma: this is the hottest
 * read path, and Prisma's row mapping doubled its query time (measured).
 */
export async function selectListRows(
  input: Omit<ListMessagesInput, "cursor" | "q" | "limit"> & { before?: string; tokens?: string[]; take: number },
): Promise<ListRow[]> {
  const params: unknown[] = [input.tenantId, input.mailboxId];
  const where = [`"tenantId" = $1`, `"mailboxId" = $2`];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (input.before) add((n) => `id < ${n}`, input.before);
  if (input.after) add((n) => `id > ${n}`, input.after);
  if (input.direction) add((n) => `direction = ${n}::"Direction"`, input.direction);
  if (input.status) add((n) => `status = ${n}::"MessageStatus"`, input.status);
  if (input.unread !== undefined) add((n) => `read = ${n}`, !input.unread);
  if (input.threadId) add((n) => `"threadId" = ${n}`, input.threadId);
  if (input.label) add((n) => `labels @> ARRAY[${n}::text]`, input.label);
  // Every word must match: the GIN index on the blind tokens answers @>.
  if (input.tokens?.length) add((n) => `"searchTokens" @> ${n}::text[]`, input.tokens);
  params.push(input.take);
  const { rows } = await getPool().query<ListRow>(
    `SELECT id, "mailboxId", "threadId", direction::text AS direction, status::text AS status, "statusReason", read, labels,
            "sizeBytes", "securityFlags", "sentAt" AT TIME ZONE 'UTC' AS "sentAt", "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "metaCipher"
     FROM "Message" WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** Newest first; every word of `q` must match the blind index. */
export async function listMessages(input: ListMessagesInput) {
  const before = decodeCursor(input.cursor);
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const tokens = input.q ? queryTokens(cipher, input.q) : [];
  if (input.q && tokens.length === 0) return { data: [], nextCursor: null };
  const rows = await selectListRows({ ...input, before, tokens, take: input.limit + 1 });
  const page = toPage(rows, input.limit);
  return {
    data: page.data.map((row) => toMessageDto(row, openMessage(cipher, row, { full: false }), { full: false })),
    nextCursor: page.nextCursor,
  };
}
