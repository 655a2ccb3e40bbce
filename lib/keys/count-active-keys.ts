import "server-only";
import { getDb } from "@/lib/db";

/** How many unrevoked keys each of these mailboxes of the tenant has (expired ones included: they still need revoking). */
export async function countActiveKeys(input: { tenantId: string; mailboxIds: string[] }): Promise<Map<string, number>> {
  if (input.mailboxIds.length === 0) return new Map();
  const groups = await getDb().apiKey.groupBy({
    by: ["mailboxId"],
    where: { tenantId: input.tenantId, mailboxId: { in: input.mailboxIds }, revokedAt: null },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.mailboxId ?? "", g._count._all]));
}
