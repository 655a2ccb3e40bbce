// The one mailbox listing, for REST (GET /api/v1/mailboxes) and the dashboard:
// newest first, SPEC §3 cursors (?limit=1..100, default 25), deleted ones hidden.
// `q` matches address, display name or client ref, case-insensitively; `clientRef`
// is an exact match.
import "server-only";
import { getDb } from "@/lib/db";
import { decodeCursor, toPage } from "@/lib/http/pagination";
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
  const q = input.q?.trim();
  const where: Prisma.MailboxWhereInput = {
    tenantId: input.tenantId,
    status: input.status ?? { not: "deleted" },
    ...(input.clientRef ? { clientRef: input.clientRef } : {}),
    ...(before ? { id: { lt: before } } : {}),
    ...(q
      ? {
          OR: [
            { address: { contains: q, mode: "insensitive" } },
            { displayName: { contains: q, mode: "insensitive" } },
            { clientRef: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const rows = await getDb().mailbox.findMany({ where, orderBy: { id: "desc" }, take: input.limit + 1 });
  const page = toPage(rows, input.limit);
  return { data: page.data.map(toMailboxDto), nextCursor: page.nextCursor };
}
