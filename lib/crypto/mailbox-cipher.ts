// Per-mailbox envelope encryption: fields sealed under the mailbox's DEK with
// associated data binding tenant, mailbox, row and field, plus the blind index.
import "server-only";
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { getDb, type Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { open, seal, sealedKeyVersion } from "@/lib/crypto/aead";
import { unwrapDek, wrapDek } from "@/lib/crypto/master-key";
import { ApiError } from "@/lib/http/errors";

// Random 96-bit nonces stay safe far below 2^32 encryptions per key; a new DEK
// version starts at 2^30. Counts are reserved in blocks so a send costs no extra write.
export const ROTATE_AFTER_ENCRYPTIONS = 2n ** 30n;
const RESERVATION_BLOCK = 4096n;

type DekRow = { id: string; version: number; wrappedKey: Uint8Array; masterKeyId: string };

export class MailboxCipher {
  // Counted in the database but not yet handed to a caller, and handed out but not yet
  // used. Both change synchronously, so concurrent callers sharing this cached cipher
  // never spend each other's reservation.
  private available = 0n;
  private granted = 0n;

  constructor(
    readonly tenantId: string,
    readonly mailboxId: string,
    private readonly keys: Map<number, Buffer>,
    private currentVersion: number,
    private currentKeyId: string,
    private readonly indexKey: Buffer,
  ) {}

  private aad(rowId: string, field: string): string {
    return `sairaph:v1:${this.tenantId}:${this.mailboxId}:${rowId}:${field}`;
  }

  /** Seals `plaintext` for one field of one row. Call reserve() first for the encryptions you need. */
  encrypt(rowId: string, field: string, plaintext: Buffer | string): Buffer {
    if (this.granted <= 0n) throw new Error("MailboxCipher.encrypt called without a reservation");
    this.granted -= 1n;
    const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
    return seal(this.keys.get(this.currentVersion)!, this.currentVersion, data, this.aad(rowId, field));
  }

  decrypt(rowId: string, field: string, sealed: Uint8Array): Buffer {
    const buf = Buffer.from(sealed);
    const key = this.keys.get(sealedKeyVersion(buf));
    if (!key) throw new Error(`No data key version ${sealedKeyVersion(buf)} for mailbox ${this.mailboxId}`);
    return open(key, buf, this.aad(rowId, field));
  }

  encryptJson(rowId: string, field: string, value: unknown): Buffer {
    return this.encrypt(rowId, field, JSON.stringify(value));
  }

  decryptJson<T>(rowId: string, field: string, sealed: Uint8Array): T {
    return JSON.parse(this.decrypt(rowId, field, sealed).toString("utf8")) as T;
  }

  /** Blind-index token: HMAC-SHA256 under a key derived from the mailbox's first DEK. */
  blindToken(value: string): string {
    return createHmac("sha256", this.indexKey).update(value).digest("base64url").slice(0, 22);
  }

  /** Accounts for `count` encryptions against the DEK's budget, starting a new version when it is spent. */
  async reserve(count: number): Promise<void> {
    const wanted = BigInt(count);
    if (wanted <= 0n) return;
    if (this.available < wanted) {
      const block = wanted > RESERVATION_BLOCK ? wanted : RESERVATION_BLOCK;
      const used = await countEncryptions(this.tenantId, this.currentKeyId, block);
      if (used > ROTATE_AFTER_ENCRYPTIONS) {
        const next = await startNewDekVersion(this.tenantId, this.mailboxId, this.currentVersion + 1);
        this.keys.set(next.version, next.key);
        this.currentVersion = next.version;
        this.currentKeyId = next.id;
        await countEncryptions(this.tenantId, next.id, block);
      }
      this.available += block;
    }
    this.available -= wanted;
    this.granted += wanted;
  }
}

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

async function startNewDekVersion(tenantId: string, mailboxId: string, version: number) {
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
  const indexKey = Buffer.from(
    hkdfSync("sha256", keys.get(first.version)!, Buffer.from(mailboxId), "sairaph blind index v1", 32),
  );
  return new MailboxCipher(tenantId, mailboxId, keys, current.version, current.id, indexKey);
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
