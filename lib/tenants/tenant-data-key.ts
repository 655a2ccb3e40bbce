// The tenant's data key: made on first use (the first tenant-wide list entry), stored
// only wrapped by the master key like a mailbox DEK (lib/mailboxes/data-keys.ts), and
// re-wrapped by `master-key rotate`. Cached per process like mailbox ciphers: a hit is
// trusted for TRUST_MS, then the wrapped row is re-read, so a re-wrap is seen at once.
import "server-only";
import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { TenantCipher } from "@/lib/crypto/tenant-cipher";
import { unwrapDek, wrapDek } from "@/lib/crypto/master-key";

// The wrap's associated data: a mailbox id is a UUID, so this never equals a mailbox DEK's.
export function tenantKeyContext(tenantId: string) {
  return { tenantId, mailboxId: "tenant", version: 1 };
}

const TRUST_MS = 5_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { cipher: TenantCipher; checkedAt: number; fingerprint: string }>();

/** The tenant's cipher, or null when the tenant has no data key yet (so nothing tenant-wide is stored). */
export async function findTenantCipher(tenantId: string): Promise<TenantCipher | null> {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.checkedAt < TRUST_MS) return hit.cipher;
  const row = await getDb().tenantDataKey.findUnique({ where: { tenantId }, select: { id: true, wrappedKey: true, masterKeyId: true } });
  if (!row) {
    cache.delete(tenantId);
    return null;
  }
  const fingerprint = `${row.id}:${row.masterKeyId}`;
  if (hit && hit.fingerprint === fingerprint) {
    hit.checkedAt = Date.now();
    return hit.cipher;
  }
  const cipher = new TenantCipher(tenantId, unwrapDek(row, tenantKeyContext(tenantId)));
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(tenantId, { cipher, checkedAt: Date.now(), fingerprint });
  return cipher;
}

/** The tenant's cipher, making its data key first if it has none (concurrent callers end with the same key). */
export async function getTenantCipher(tenantId: string): Promise<TenantCipher> {
  const found = await findTenantCipher(tenantId);
  if (found) return found;
  const { wrappedKey, masterKeyId } = wrapDek(randomBytes(32), tenantKeyContext(tenantId));
  await getDb().$executeRaw`
    INSERT INTO "TenantDataKey" (id, "tenantId", "wrappedKey", "masterKeyId", "createdAt")
    VALUES (${uuidv7()}, ${tenantId}, ${new Uint8Array(wrappedKey)}, ${masterKeyId}, now())
    ON CONFLICT ("tenantId") DO NOTHING`;
  const made = await findTenantCipher(tenantId);
  if (!made) throw new Error(`The data key of tenant ${tenantId} could not be created`);
  return made;
}

export function forgetTenantCipher(tenantId: string): void {
  cache.delete(tenantId);
}
