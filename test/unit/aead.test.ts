import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, open, seal, sealedKeyVersion } from "@/lib/crypto/aead";

const key = randomBytes(32);
const aad = "sairaph:v1:tenant:mailbox:row:field";

describe("aead", () => {
  it("round-trips with a version prefix, the key version and a fresh nonce each time", () => {
    const a = seal(key, 7, Buffer.from("hello"), aad);
    const b = seal(key, 7, Buffer.from("hello"), aad);
    expect(a[0]).toBe(1);
    expect(sealedKeyVersion(a)).toBe(7);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(5, 17).equals(b.subarray(5, 17))).toBe(false);
    expect(open(key, a, aad).toString()).toBe("hello");
    expect(open(key, seal(key, 1, Buffer.alloc(0), aad), aad).length).toBe(0);
  });

  it("throws on any flipped bit, another key or other associated data", () => {
    const sealed = seal(key, 1, Buffer.from("attack at dawn"), aad);
    // Every byte after the header: nonce, tag and ciphertext.
    for (let i = 5; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] ^= 0x01;
      expect(() => open(key, tampered, aad), `byte ${i}`).toThrow(DecryptionError);
    }
    expect(() => open(randomBytes(32), sealed, aad)).toThrow(DecryptionError);
    expect(() => open(key, sealed, `${aad}x`)).toThrow(DecryptionError);
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), aad)).toThrow(DecryptionError);
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 2;
    expect(() => open(key, otherVersion, aad)).toThrow(DecryptionError);
    expect(() => open(key, Buffer.alloc(10), aad)).toThrow(DecryptionError);
  });

  it("refuses a missing or short key instead of passing plaintext through", () => {
    expect(() => seal(undefined as unknown as Buffer, 1, Buffer.from("x"), aad)).toThrow();
    expect(() => seal(randomBytes(16), 1, Buffer.from("x"), aad)).toThrow();
    expect(() => open(randomBytes(31), seal(key, 1, Buffer.from("x"), aad), aad)).toThrow();
  });
});
