import "server-only";
import { getDb } from "@/lib/db";
import { decodeCursor, toPage } from "@/lib/pagination";
import { toMailboxDto } from "@/lib/mailboxes/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";

export async function listMailboxes(input: {
  tenantId: string;
  limit: number;
  cursor?: string;
  q?: string;
  clientRef?: string;
  status?: "active" | "suspended";
}) {
  const before = decodeCursor(input.cursor);
  const where: Prisma.MailboxWhereInput = {
    tenantId: input.tenantId,
    status: input.status ?? { not: "deleted" },
    ...(input.clientRef ? { clientRef: input.clientRef } : {}),
    ...(before ? { id: { lt: before } } : {}),
    ...(input.q
      ? {
          OR: [
            { address: { contains: input.q.toLowerCase() } },
            { displayName: { contains: input.q, mode: "insensitive" } },
            { clientRef: { contains: input.q } },
          ],
        }
      : {}),
  };
  const rows = await getDb().mailbox.findMany({ where, orderBy: { id: "desc" }, take: input.limit + 1 });
  const page = toPage(rows, input.limit);
  return { data: page.data.map(toMailboxDto), nextCursor: page.nextCursor };
}
