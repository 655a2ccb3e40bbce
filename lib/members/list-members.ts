import "server-only";
import { getDb } from "@/lib/db";

export async function listMembers(input: { tenantId: string }) {
  const rows = await getDb().membership.findMany({
    where: { tenantId: input.tenantId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((m) => ({ id: m.id, role: m.role, createdAt: m.createdAt.toISOString(), user: m.user }));
}

export type MemberListItem = Awaited<ReturnType<typeof listMembers>>[number];
