import "server-only";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export const MAILBOX_PAGE_SIZE = 50;

/** The dashboard's mailbox list: search by address, display name or client ref; deleted ones are hidden. */
export async function searchMailboxes(input: { tenantId: string; query?: string; cursor?: string | null; limit?: number }) {
  const limit = Math.min(Math.max(input.limit ?? MAILBOX_PAGE_SIZE, 1), 100);
  const q = input.query?.trim();
  const where: Prisma.MailboxWhereInput = {
    tenantId: input.tenantId,
    status: { not: "deleted" },
    ...(q
      ? {
          OR: [
            { address: { contains: q, mode: "insensitive" } },
            { displayName: { contains: q, mode: "insensitive" } },
            { clientRef: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(input.cursor ? { id: { lt: input.cursor } } : {}),
  };
  const rows = await getDb().mailbox.findMany({
    where,
    orderBy: { id: "desc" },
    take: limit + 1,
    select: {
      id: true,
      address: true,
      displayName: true,
      clientRef: true,
      status: true,
      createdAt: true,
      _count: { select: { apiKeys: { where: { revokedAt: null } } } },
    },
  });
  const page = rows.slice(0, limit);
  return {
    data: page.map(({ _count, ...m }) => ({ ...m, activeKeys: _count.apiKeys, createdAt: m.createdAt.toISOString() })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}

export type MailboxListItem = Awaited<ReturnType<typeof searchMailboxes>>["data"][number];

/** One mailbox of the tenant for its detail page, or null (another tenant's id is simply not found). */
export async function findMailboxForDashboard(input: { tenantId: string; mailboxId: string }) {
  return getDb().mailbox.findFirst({
    where: { id: input.mailboxId, tenantId: input.tenantId, status: { not: "deleted" } },
    select: {
      id: true,
      address: true,
      displayName: true,
      clientRef: true,
      status: true,
      sendPerMinute: true,
      sendPerDay: true,
      createdAt: true,
      domain: { select: { name: true, isDev: true } },
      tenant: { select: { maxSendPerMinute: true, maxSendPerDay: true } },
    },
  });
}
