import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { Prisma } from "@/lib/generated/prisma/client";
import { openMessage } from "@/lib/messages/seal-message";
import type { Participant } from "@/lib/messages/message-content";
import type { z } from "zod";
import type { threadDto } from "@/lib/messages/schemas";

export type ThreadDto = z.infer<typeof threadDto>;

type ThreadRow = { id: string; mailboxId: string; messageCount: number; lastMessageAt: Date; createdAt: Date };

// Threads are ordered by their latest message, so the cursor carries (lastMessageAt, id).
function encodeThreadCursor(row: ThreadRow): string {
  return Buffer.from(`${row.lastMessageAt.getTime()}|${row.id}`, "utf8").toString("base64url");
}

function decodeThreadCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [ms, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!/^\d{1,15}$/.test(ms ?? "") || !isUuid(id ?? "")) {
    throw new ApiError("validation_error", "The cursor is invalid", { details: [{ path: "cursor", message: "invalid cursor" }] });
  }
  return { at: new Date(Number(ms)), id };
}

function participantsOf(meta: { from: Participant; to: Participant[]; cc: Participant[] }) {
  const seen = new Map<string, { address: string; name: string | null }>();
  for (const p of [meta.from, ...meta.to, ...meta.cc]) {
    const key = p.address.toLowerCase();
    if (!seen.has(key)) seen.set(key, { address: p.address, name: p.name ?? null });
  }
  return [...seen.values()];
}

/** Subject, snippet and participants come from each thread's newest message; unread counts in one query. */
export async function toThreadDtos(scope: { tenantId: string; mailboxId: string }, cipher: MailboxCipher, threads: ThreadRow[]): Promise<ThreadDto[]> {
  if (threads.length === 0) return [];
  const ids = threads.map((t) => t.id);
  const db = getDb();
  const [latest, unread] = await Promise.all([
    db.$queryRaw<{ id: string; threadId: string; metaCipher: Uint8Array }[]>`
      SELECT DISTINCT ON ("threadId") id, "threadId", "metaCipher" FROM "Message"
      WHERE "tenantId" = ${scope.tenantId} AND "mailboxId" = ${scope.mailboxId} AND "threadId" IN (${Prisma.join(ids)})
      ORDER BY "threadId", id DESC`,
    db.message.groupBy({ by: ["threadId"], where: { ...scope, threadId: { in: ids }, read: false }, _count: { _all: true } }),
  ]);
  return threads.map((t) => {
    const newest = latest.find((m) => m.threadId === t.id);
    const meta = newest ? openMessage(cipher, newest, { full: false }).meta : null;
    return {
      id: t.id,
      mailboxId: t.mailboxId,
      subject: meta?.subject ?? "",
      snippet: meta?.snippet ?? "",
      participants: meta ? participantsOf(meta) : [],
      messageCount: t.messageCount,
      unreadCount: unread.find((u) => u.threadId === t.id)?._count._all ?? 0,
      lastMessageAt: t.lastMessageAt.toISOString(),
      createdAt: t.createdAt.toISOString(),
    };
  });
}

/** Threads with the most recent activity first. */
export async function listThreads(input: { tenantId: string; mailboxId: string; limit: number; cursor?: string }) {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const after = decodeThreadCursor(input.cursor);
  const rows = await getDb().thread.findMany({
    where: {
      ...scope,
      ...(after ? { OR: [{ lastMessageAt: { lt: after.at } }, { lastMessageAt: after.at, id: { lt: after.id } }] } : {}),
    },
    select: { id: true, mailboxId: true, messageCount: true, lastMessageAt: true, createdAt: true },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  return {
    data: await toThreadDtos(scope, cipher, page),
    nextCursor: rows.length > input.limit ? encodeThreadCursor(page[page.length - 1]) : null,
  };
}
