// The offload worker (lib/offload): what it seals opens with lib/crypto/aead.ts, and a
// large body parses to the same values as on the event loop, its large base64 decoded.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/aead";
import { parseJsonOffLoop, sealOffLoop } from "@/lib/offload/offload-pool";

describe("offload worker", () => {
  it("seals in the format lib/crypto/aead.ts opens, bound to its associated data", async () => {
    const key = randomBytes(32);
    const plaintext = randomBytes(3 * 1024 * 1024 + 7);
    const sealed = await sealOffLoop({ key, keyVersion: 4, aad: "sairaph:v1:t:m:row:attachment.data", plaintext });
    expect(sealed.readUInt32BE(1)).toBe(4);
    expect(open(key, sealed, "sairaph:v1:t:m:row:attachment.data").equals(plaintext)).toBe(true);
    expect(() => open(key, sealed, "sairaph:v1:t:m:other-row:attachment.data")).toThrow();
    // The caller keeps its plaintext.
    expect(plaintext.length).toBe(3 * 1024 * 1024 + 7);
  });

  it("parses a large body and decodes large attachment contents; leaves invalid base64 and small contents as sent", async () => {
    const big = randomBytes(2 * 1024 * 1024);
    const body = {
      to: ["ann@example.com"],
      attachments: [
        { filename: "a.bin", content: big.toString("base64") },
        { filename: "small.txt", content: Buffer.from("hello").toString("base64") },
        { filename: "bad.bin", content: "-".repeat(100_000) },
        { filename: "url.bin", content: big.toString("base64url").padEnd(Math.ceil(big.toString("base64url").length / 4) * 4, "=") },
      ],
    };
    const parsed = await parseJsonOffLoop(Buffer.from(JSON.stringify(body)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.decoded.map((d) => d.index)).toEqual([0]);
    expect(parsed.decoded[0]!.bytes.equals(big)).toBe(true);
    expect(parsed.decoded[0]!.base64Length).toBe(body.attachments[0]!.content.length);
    const out = parsed.body as typeof body;
    expect(out.attachments[0]!.content).toBeNull();
    expect(out.attachments[1]!.content).toBe(body.attachments[1]!.content);
    expect(out.attachments[2]!.content).toBe(body.attachments[2]!.content);
    expect(out.attachments[3]!.content).toBe(body.attachments[3]!.content);
    expect(out.to).toEqual(["ann@example.com"]);
  });

  it("answers not-ok for a body that is not JSON, and keeps working", async () => {
    expect((await parseJsonOffLoop(Buffer.from("{".repeat(2_000_000)))).ok).toBe(false);
    expect((await parseJsonOffLoop(Buffer.from('{"a":1}'))).ok).toBe(true);
  });
});
