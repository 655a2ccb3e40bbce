// What the dashboard shows of API keys: never the hash, never a secret.
import "server-only";
import { getDb } from "@/lib/db";

export type KeyListItem = {
  id: string;
  kind: "mailbox" | "tenant";
  role: "read" | "read_write" | "management";
  name: string | null;
  prefix: string;
  last4: string;
  mailbox: { id: string; address: string } | null;
  requestsPerMinute: number;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  createdByLabel: string | null;
  status: "active" | "expired" | "revoked";
};

export async function listKeys(input: { tenantId: string; kind: "mailbox" | "tenant"; mailboxId?: string }): Promise<KeyListItem[]> {
  const rows = await getDb().apiKey.findMany({
    where: {
      tenantId: input.tenantId,
      kind: input.kind,
      ...(input.mailboxId ? { mailboxId: input.mailboxId } : {}),
    },
    orderBy: { id: "desc" },
    take: 500,
    select: {
      id: true,
      kind: true,
      role: true,
      name: true,
      prefix: true,
      last4: true,
      requestsPerMinute: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      createdAt: true,
      createdByLabel: true,
      mailbox: { select: { id: true, address: true } },
    },
  });
  const now = Date.now();
  return rows.map((k) => ({
    ...k,
    status: k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt.getTime() <= now ? "expired" : "active",
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  }));
}
