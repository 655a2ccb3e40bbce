// Tenant-wide envelope encryption (SPEC §6 applied to tenant-wide data such as the
// tenant's allow and block lists): fields sealed under the tenant's data key with
// associated data binding tenant, row and field, and blind tokens keyed by a key
// derived from it. Pure: the key comes in, bytes go out; loading and wrapping the key
// is lib/tenants/tenant-data-key.ts.
import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { open, seal } from "@/lib/crypto/aead";

// Tenant-wide data is a handful of short fields (list entries), far below the nonce
// budget of one key, so the tenant key has one version and no encryption counter.
const TENANT_KEY_VERSION = 1;

export class TenantCipher {
  private readonly indexKey: Buffer;

  constructor(
    readonly tenantId: string,
    private readonly key: Buffer,
  ) {
    this.indexKey = Buffer.from(hkdfSync("sha256", key, Buffer.from(tenantId), "sairaph tenant blind index v1", 32));
  }

  private aad(rowId: string, field: string): string {
    return `sairaph:tenant:v1:${this.tenantId}:${rowId}:${field}`;
  }

  encrypt(rowId: string, field: string, plaintext: string): Buffer {
    return seal(this.key, TENANT_KEY_VERSION, Buffer.from(plaintext, "utf8"), this.aad(rowId, field));
  }

  decrypt(rowId: string, field: string, sealed: Uint8Array): Buffer {
    return open(this.key, Buffer.from(sealed), this.aad(rowId, field));
  }

  /** Blind token: HMAC-SHA256 under a key derived from the tenant data key. */
  blindToken(value: string): string {
    return createHmac("sha256", this.indexKey).update(value).digest("base64url").slice(0, 22);
  }
}
