// The dashboard's mail list for one mailbox. Without filters it is the thread list
// (REST's GET …/threads: latest activity first, unread counts); with a search or a
// filter it is the matching messages (REST's GET …/messages, plus a status filter),
// each leading to its thread. One row shape for both, so one list renders them.
import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { listMessages } from "@/lib/messages/list-messages";
import { listThreads } from "@/lib/messages/list-threads";
import { listMessagesQuery, messageStatus } from "@/lib/messages/schemas";

export const mailListQuery = listMessagesQuery.extend({ status: messageStatus.optional() });

export type MailListQuery = z.infer<typeof mailListQuery>;

export type MailListRow = {
  /** The thread's id for a thread row, the message's id for a message row. */
  key: string;
  threadId: string;
  kind: "thread" | "message";
  subject: string;
  snippet: string;
  who: string;
  messageCount: number | null;
  unread: boolean;
  direction: "inbound" | "outbound" | null;
  status: string | null;
  labels: string[];
  /** Screening raised a security flag on (a message of) it (SPEC §13). */
  flagged: boolean;
  at: string;
};

export function isFiltered(query: Omit<MailListQuery, "limit" | "cursor">): boolean {
  return Boolean(query.q || query.direction || query.status || query.label || query.threadId || query.unread !== undefined);
}

export async function listMailboxMail(input: { tenantId: string; mailboxId: string } & MailListQuery): Promise<{ data: MailListRow[]; nextCursor: string | null }> {
  const { tenantId, mailboxId, limit, cursor, ...filters } = input;
  if (!isFiltered(filters)) {
    const page = await listThreads({ tenantId, mailboxId, limit, cursor });
    // A thread is unread while it holds received mail not yet read; the REST
    // unreadCount also counts the mailbox's own sends, which a reader never opens.
    const unreadInbound = await getDb().message.groupBy({
      by: ["threadId"],
      where: { tenantId, mailboxId, threadId: { in: page.data.map((t) => t.id) }, direction: "inbound", read: false },
      _count: { _all: true },
    });
    const unread = new Set(unreadInbound.map((u) => u.threadId));
    const flaggedRows = await getDb().message.findMany({
      where: { tenantId, mailboxId, threadId: { in: page.data.map((t) => t.id) }, direction: "inbound", NOT: { securityFlags: { isEmpty: true } } },
      select: { threadId: true },
      distinct: ["threadId"],
    });
    const flagged = new Set(flaggedRows.map((r) => r.threadId));
    return {
      data: page.data.map((t) => ({
        key: t.id,
        threadId: t.id,
        kind: "thread",
        subject: t.subject,
        snippet: t.snippet,
        who: t.participants.map((p) => p.name ?? p.address).join(", "),
        messageCount: t.messageCount,
        unread: unread.has(t.id),
        direction: null,
        status: null,
        labels: [],
        flagged: flagged.has(t.id),
        at: t.lastMessageAt,
      })),
      nextCursor: page.nextCursor,
    };
  }
  // Read state is a reader's: "unread" and "read" mean received mail unless a direction is chosen.
  const direction = filters.direction ?? (filters.unread !== undefined ? "inbound" : undefined);
  const page = await listMessages({ tenantId, mailboxId, limit, cursor, ...filters, direction });
  return {
    data: page.data.map((m) => ({
      key: m.id,
      threadId: m.threadId,
      kind: "message",
      subject: m.subject,
      snippet: m.snippet,
      who: m.direction === "inbound" ? (m.from.name ?? m.from.address) : `To ${m.to.map((p) => p.name ?? p.address).join(", ")}`,
      messageCount: null,
      unread: m.direction === "inbound" && !m.read,
      direction: m.direction,
      status: m.status,
      labels: m.labels,
      flagged: m.security.flags.length > 0,
      at: m.createdAt,
    })),
    nextCursor: page.nextCursor,
  };
}
