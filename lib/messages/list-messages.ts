import "server-only";
import { getDb } from "@/lib/db";
import { decodeCursor, toPage } from "@/lib/http/pagination";
import { getMailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { openMessage } from "@/lib/messages/seal-message";
import { toMessageDto } from "@/lib/messages/message-dto";
import { queryTokens } from "@/lib/messages/search-tokens";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The columns a list shows: never the body or the search tokens, which can be large. */
export const LIST_COLUMNS = {
  id: true,
  mailboxId: true,
  threadId: true,
  direction: true,
  status: true,
  statusReason: true,
  read: true,
  labels: true,
  sizeBytes: true,
  sentAt: true,
  createdAt: true,
  metaCipher: true,
} as const satisfies Prisma.MessageSelect;

export type ListMessagesInput = {
  tenantId: string;
  mailboxId: string;
  limit: number;
  cursor?: string;
  direction?: "inbound" | "outbound";
  unread?: boolean;
  threadId?: string;
  label?: string;
  q?: string;
};

/** Newest first; every word of `q` must match the blind index (searchTokens @> ARRAY[…]). */
export async function listMessages(input: ListMessagesInput) {
  const before = decodeCursor(input.cursor);
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const tokens = input.q ? queryTokens(cipher, input.q) : [];
  const where: Prisma.MessageWhereInput = {
    tenantId: input.tenantId,
    mailboxId: input.mailboxId,
    ...(before ? { id: { lt: before } } : {}),
    ...(input.direction ? { direction: input.direction } : {}),
    ...(input.unread !== undefined ? { read: !input.unread } : {}),
    ...(input.threadId ? { threadId: input.threadId } : {}),
    ...(input.label ? { labels: { has: input.label } } : {}),
    ...(tokens.length ? { searchTokens: { hasEvery: tokens } } : {}),
  };
  const rows = await getDb().message.findMany({ where, select: LIST_COLUMNS, orderBy: { id: "desc" }, take: input.limit + 1 });
  const page = toPage(rows, input.limit);
  return {
    data: page.data.map((row) => toMessageDto(row, openMessage(cipher, row, { full: false }), { full: false })),
    nextCursor: page.nextCursor,
  };
}
