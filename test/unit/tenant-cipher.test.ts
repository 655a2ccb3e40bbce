// The tenant cipher (tenant-wide lists): a sealed field opens only for its tenant,
// row and field, and blind tokens differ between tenants and keys, so one tenant's
// list hashes say nothing about another's.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError } from "@/lib/crypto/aead";
import { TenantCipher } from "@/lib/crypto/tenant-cipher";

describe("TenantCipher", () => {
  it("opens a field only for the tenant, row and field it was sealed for", () => {
    const key = randomBytes(32);
    const a = new TenantCipher("tenant-a", key);
    const sealed = a.encrypt("row-1", "list.entry", "@evil.test");
    expect(a.decrypt("row-1", "list.entry", sealed).toString("utf8")).toBe("@evil.test");
    expect(Buffer.from(sealed).toString("latin1")).not.toContain("evil");
    expect(() => a.decrypt("row-2", "list.entry", sealed)).toThrow(DecryptionError);
    expect(() => a.decrypt("row-1", "other.field", sealed)).toThrow(DecryptionError);
    expect(() => new TenantCipher("tenant-b", key).decrypt("row-1", "list.entry", sealed)).toThrow(DecryptionError);
    expect(() => new TenantCipher("tenant-a", randomBytes(32)).decrypt("row-1", "list.entry", sealed)).toThrow(DecryptionError);
  });

  it("blind tokens are stable per tenant key and differ across tenants and keys", () => {
    const key = randomBytes(32);
    const a = new TenantCipher("tenant-a", key);
    expect(a.blindToken("list:@x.test")).toBe(new TenantCipher("tenant-a", key).blindToken("list:@x.test"));
    expect(a.blindToken("list:@x.test")).not.toBe(a.blindToken("list:@y.test"));
    expect(a.blindToken("list:@x.test")).not.toBe(new TenantCipher("tenant-b", key).blindToken("list:@x.test"));
    expect(a.blindToken("list:@x.test")).not.toBe(new TenantCipher("tenant-a", randomBytes(32)).blindToken("list:@x.test"));
  });
});
