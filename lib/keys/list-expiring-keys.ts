// Keys that stop working within the next 7 days (SPEC §12 key.expiring): what the
// dashboard overview lists so an admin can issue replacements in time.
import "server-only";
import { getDb } from "@/lib/db";

export const EXPIRING_WITHIN_DAYS = 7;

export type ExpiringKey = {
  id: string;
  kind: "mailbox" | "tenant";
  role: "read" | "read_write" | "management";
  name: string | null;
  prefix: string;
  last4: string;
  mailbox: { id: string; address: string } | null;
  expiresAt: string;
};

export async function listExpiringKeys(input: { tenantId: string; now?: Date }): Promise<ExpiringKey[]> {
  const now = input.now ?? new Date();
  const rows = await getDb().apiKey.findMany({
    where: {
      tenantId: input.tenantId,
      revokedAt: null,
      expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRING_WITHIN_DAYS * 24 * 60 * 60 * 1000) },
    },
    orderBy: { expiresAt: "asc" },
    take: 100,
    select: { id: true, kind: true, role: true, name: true, prefix: true, last4: true, expiresAt: true, mailbox: { select: { id: true, address: true } } },
  });
  return rows.map((k) => ({ ...k, expiresAt: k.expiresAt!.toISOString() }));
}
