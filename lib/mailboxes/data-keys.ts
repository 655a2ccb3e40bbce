// A mailbox's data keys (DEKs): version 1 is created with the mailbox, a new
// version starts when the current one has sealed ROTATE_AFTER_ENCRYPTIONS fields, and
// the unwrapped keys are cached per process as a MailboxCipher (lib/crypto, which
// only sees keys and the budget callback below).
import "server-only";
import { randomBytes } from "node:crypto";
import { getDb, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { deriveBlindIndexKey, MailboxCipher, type DataKey, type EncryptionBudget } from "@/lib/crypto/mailbox-cipher";
import { unwrapDek, wrapDek } from "@/lib/crypto/master-key";

// Random 96-bit nonces stay safe far below 2^32 encryptions per key; a new DEK
// version starts at 2^30.
export const ROTATE_AFTER_ENCRYPTIONS = 2n ** 30n;

type DekRow = { id: string; version: number; wrappedKey: Uint8Array; masterKeyId: string };

async function countEncryptions(tenantId: string, keyId: string, block: bigint): Promise<bigint> {
  const rows = await getDb().$queryRaw<{ encryptions: bigint }[]>`
    UPDATE "MailboxDataKey" SET encryptions = encryptions + ${block}
    WHERE id = ${keyId} AND "tenantId" = ${tenantId} RETURNING encryptions`;
  // The key is gone: the mailbox was deleted (crypto-shredded) meanwhile.
  if (rows.length === 0) throw new ApiError("not_found", "Mailbox not found");
  return rows[0].encryptions;
}

function dekContext(tenantId: string, mailboxId: string, version: number) {
  return { tenantId, mailboxId, version };
}

/** Creates version 1 of a mailbox's DEK inside the transaction that creates the mailbox. */
export async function createMailboxDataKey(tx: Tx, tenantId: string, mailboxId: string): Promise<void> {
  const dek = randomBytes(32);
  const { wrappedKey, masterKeyId } = wrapDek(dek, dekContext(tenantId, mailboxId, 1));
  await tx.mailboxDataKey.create({
    data: { id: uuidv7(), tenantId, mailboxId, version: 1, wrappedKey: new Uint8Array(wrappedKey), masterKeyId },
  });
}

async function startNewDekVersion(tenantId: string, mailboxId: string, version: number): Promise<DataKey> {
  const key = randomBytes(32);
  const { wrappedKey, masterKeyId } = wrapDek(key, dekContext(tenantId, mailboxId, version));
  const id = uuidv7();
  await getDb().mailboxDataKey.upsert({
    where: { tenantId_mailboxId_version: { tenantId, mailboxId, version } },
    create: { id, tenantId, mailboxId, version, wrappedKey: new Uint8Array(wrappedKey), masterKeyId },
    update: {},
  });
  const row = await getDb().mailboxDataKey.findFirstOrThrow({ where: { tenantId, mailboxId, version } });
  return { id: row.id, version, key: unwrapDek(row, dekContext(tenantId, mailboxId, version)) };
}

/** The budget callback of one mailbox's cipher: counts in the database, starts a new version when spent. */
function encryptionBudget(tenantId: string, mailboxId: string): EncryptionBudget {
  return async (current, block) => {
    const used = await countEncryptions(tenantId, current.id, block);
    if (used <= ROTATE_AFTER_ENCRYPTIONS) return null;
    const next = await startNewDekVersion(tenantId, mailboxId, current.version + 1);
    await countEncryptions(tenantId, next.id, block);
    return next;
  };
}

// Unwrapped DEKs are cached per process. For TRUST_MS a hit is served without a
// query (the hot read path); after that the wrapped rows are re-read and compared,
// so a re-wrap, a new DEK version or a shred (rows gone) is seen within TRUST_MS.
// A shredded mailbox is unreachable through the API at once anyway: withApiKey
// checks the mailbox's status on every request, and its rows are purged.
const TRUST_MS = 5_000;
const CACHE_TTL_MS = 60_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { cipher: MailboxCipher; at: number; checkedAt: number; fingerprint: string }>();

function buildCipher(tenantId: string, mailboxId: string, rows: DekRow[]): MailboxCipher {
  if (rows.length === 0) throw new ApiError("not_found", "Mailbox not found");
  const keys = new Map<number, Buffer>();
  for (const row of rows) keys.set(row.version, unwrapDek(row, dekContext(tenantId, mailboxId, row.version)));
  const first = rows.reduce((a, b) => (a.version < b.version ? a : b));
  const current = rows.reduce((a, b) => (a.version > b.version ? a : b));
  const indexKey = deriveBlindIndexKey(keys.get(first.version)!, mailboxId);
  return new MailboxCipher(tenantId, mailboxId, keys, { id: current.id, version: current.version }, indexKey, encryptionBudget(tenantId, mailboxId));
}

/** The cipher of one mailbox of one tenant; a mailbox of another tenant is not found. */
export async function getMailboxCipher(tenantId: string, mailboxId: string): Promise<MailboxCipher> {
  const cacheKey = `${tenantId}:${mailboxId}`;
  const hit = cache.get(cacheKey);
  if (hit && Date.now() - hit.checkedAt < TRUST_MS) return hit.cipher;
  const rows = await getDb().mailboxDataKey.findMany({
    where: { tenantId, mailboxId },
    select: { id: true, version: true, wrappedKey: true, masterKeyId: true },
  });
  const fingerprint = rows.map((r) => `${r.id}:${r.masterKeyId}`).sort().join(",");
  const now = Date.now();
  if (hit && hit.fingerprint === fingerprint && now - hit.at < CACHE_TTL_MS) {
    hit.checkedAt = now;
    return hit.cipher;
  }
  cache.delete(cacheKey);
  const cipher = buildCipher(tenantId, mailboxId, rows);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, { cipher, at: now, checkedAt: now, fingerprint });
  return cipher;
}

export function forgetMailboxCipher(tenantId: string, mailboxId: string): void {
  cache.delete(`${tenantId}:${mailboxId}`);
}
