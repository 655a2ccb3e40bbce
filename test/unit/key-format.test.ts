import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEY_LENGTH, generateKeySecret, parseKeySecret, displayParts, hashKeySecret } from "@/lib/keys/key-format";

describe("API key format", () => {
  it("generates keys with the right prefix, length and a valid checksum", () => {
    const live = generateKeySecret("mailbox");
    const mgmt = generateKeySecret("tenant");
    expect(live).toMatch(/^sm_live_[0-9A-Za-z]{38}$/);
    expect(mgmt).toMatch(/^sm_mgmt_[0-9A-Za-z]{38}$/);
    expect(live).toHaveLength(KEY_LENGTH);
    expect(parseKeySecret(live)).toEqual({ kind: "mailbox", random: live.slice(8, 40) });
    expect(parseKeySecret(mgmt)?.kind).toBe("tenant");
  });

  it("every generated key verifies; any single-character change fails the checksum", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    fc.assert(
      fc.property(
        fc.constantFrom("mailbox" as const, "tenant" as const),
        fc.nat(),
        fc.nat(61),
        (kind, position, replacement) => {
          const key = generateKeySecret(kind);
          expect(parseKeySecret(key)).not.toBeNull();
          const i = 8 + (position % 38);
          const next = alphabet[replacement] === key[i] ? alphabet[(replacement + 1) % 62] : alphabet[replacement];
          const tampered = key.slice(0, i) + next + key.slice(i + 1);
          expect(parseKeySecret(tampered)).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rejects malformed keys", () => {
    for (const bad of ["", "sm_live_", "sk_live_" + "a".repeat(38), generateKeySecret("mailbox") + "x", "sm_test_" + "a".repeat(38)]) {
      expect(parseKeySecret(bad)).toBeNull();
    }
  });

  it("shows only a display prefix and the last four characters, and hashes the whole secret", () => {
    const key = generateKeySecret("mailbox");
    expect(displayParts(key)).toEqual({ prefix: key.slice(0, 12), last4: key.slice(-4) });
    expect(hashKeySecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKeySecret(key)).not.toContain(key.slice(8, 40));
  });
});
