// Per-mailbox envelope encryption: fields sealed under the mailbox's DEK with
// associated data binding tenant, mailbox, row and field, plus the blind index.
// Pure: keys in, bytes out. Loading, caching and counting data keys against their
// budget is lib/mailboxes/data-keys.ts; the budget reaches the cipher as a callback.
import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { open, seal, sealedKeyVersion } from "@/lib/crypto/aead";
import { OFFLOAD_SEAL_BYTES, sealOffLoop } from "@/lib/offload/offload-pool";

/** A data key version: its row id, version number and unwrapped bytes. */
export type DataKey = { id: string; version: number; key: Buffer };

/**
 * Counts `block` more encryptions against the current data key. Returns the new
 * data key version to switch to when the current one's budget is spent, else null.
 */
export type EncryptionBudget = (current: { id: string; version: number }, block: bigint) => Promise<DataKey | null>;

// Counts are reserved in blocks so a send costs no extra write.
const RESERVATION_BLOCK = 4096n;

/** The blind-index key: derived from the mailbox's first DEK, so it survives new DEK versions and re-wraps. */
export function deriveBlindIndexKey(firstDek: Buffer, mailboxId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", firstDek, Buffer.from(mailboxId), "sairaph blind index v1", 32));
}

export class MailboxCipher {
  // Counted against the budget but not yet handed to a caller, and handed out but not
  // yet used. Both change synchronously, so concurrent callers sharing one cipher
  // never spend each other's reservation.
  private available = 0n;
  private granted = 0n;

  constructor(
    readonly tenantId: string,
    readonly mailboxId: string,
    private readonly keys: Map<number, Buffer>,
    private current: { id: string; version: number },
    private readonly indexKey: Buffer,
    private readonly budget: EncryptionBudget,
  ) {}

  private aad(rowId: string, field: string): string {
    return `sairaph:v1:${this.tenantId}:${this.mailboxId}:${rowId}:${field}`;
  }

  /** Seals `plaintext` for one field of one row. Call reserve() first for the encryptions you need. */
  encrypt(rowId: string, field: string, plaintext: Buffer | string): Buffer {
    if (this.granted <= 0n) throw new Error("MailboxCipher.encrypt called without a reservation");
    this.granted -= 1n;
    const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
    return seal(this.keys.get(this.current.version)!, this.current.version, data, this.aad(rowId, field));
  }

  /**
   * encrypt(), with a large plaintext (attachment data) sealed by an offload worker so
   * the event loop stays free for other requests; the same format and reservation.
   */
  async encryptLarge(rowId: string, field: string, plaintext: Buffer): Promise<Buffer> {
    if (plaintext.length < OFFLOAD_SEAL_BYTES) return this.encrypt(rowId, field, plaintext);
    if (this.granted <= 0n) throw new Error("MailboxCipher.encryptLarge called without a reservation");
    this.granted -= 1n;
    return sealOffLoop({ key: this.keys.get(this.current.version)!, keyVersion: this.current.version, aad: this.aad(rowId, field), plaintext });
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

  /** Accounts for `count` encryptions against the DEK's budget, moving to a new version when it is spent. */
  async reserve(count: number): Promise<void> {
    const wanted = BigInt(count);
    if (wanted <= 0n) return;
    if (this.available < wanted) {
      const block = wanted > RESERVATION_BLOCK ? wanted : RESERVATION_BLOCK;
      const next = await this.budget(this.current, block);
      if (next) {
        this.keys.set(next.version, next.key);
        this.current = { id: next.id, version: next.version };
      }
      this.available += block;
    }
    this.available -= wanted;
    this.granted += wanted;
  }
}
