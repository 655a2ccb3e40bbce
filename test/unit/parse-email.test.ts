import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIME_LIMITS, MimeLimitError, messageIds, parseRawEmail } from "@/lib/inbound/parse-email";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/emails");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

function nested(depth: number): string {
  let body = "Content-Type: text/plain\r\n\r\ndeep inside\r\n";
  for (let i = depth; i > 0; i--) {
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  }
  return `From: deep@example.org\r\nTo: a@example.test\r\nSubject: Deep\r\nMessage-ID: <deep@example.org>\r\n${body}`;
}

function manyParts(count: number): string {
  const parts = Array.from({ length: count }, (_, i) => `--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="p${i}.txt"\r\n\r\npart ${i}\r\n`).join("");
  return `From: many@example.org\r\nSubject: Many parts\r\nMessage-ID: <many@example.org>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`;
}

describe("parseRawEmail", () => {
  it("parses every fixture without throwing", async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".eml"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const content = await parseRawEmail(fixture(file));
      expect(content.messageId, file).toMatch(/^<.+>$/);
      expect(content.from.address.length + (content.from.name?.length ?? 0), file).toBeGreaterThanOrEqual(0);
    }
  });

  it("reads participants, threading ids, bodies and attachments", async () => {
    const reply = await parseRawEmail(fixture("reply-in-reply-to-references.eml"));
    expect(reply.subject).toBe("Re: Test reply email");
    expect(reply.inReplyTo).toBe("<348F04F142D69C21-291E56D292BC@xxxx.net>");
    expect(reply.references).toHaveLength(2);

    const pdf = await parseRawEmail(fixture("attachment-pdf-base64-utf8-subject.eml"));
    expect(pdf.subject).toBe("Another PDF with 🎉 Unicode chars in it 🍿");
    expect(pdf.attachments).toHaveLength(1);
    expect(pdf.attachments[0]).toMatchObject({ filename: "broken.pdf", contentType: "application/pdf" });
    expect(pdf.attachments[0].content.subarray(0, 4).toString()).toBe("%PDF");

    const inline = await parseRawEmail(fixture("html-inline-images-cid-rfc2231-filename.eml"));
    expect(inline.attachments.map((a) => a.filename)).toContain("nyan cat ✔.gif");
    expect(inline.attachments.find((a) => a.filename === "image.png")).toMatchObject({ inline: true, contentId: expect.stringContaining("@") });
    expect(inline.html).toContain("cid:");

    const japanese = await parseRawEmail(fixture("japanese-iso-2022-jp.eml"));
    expect(japanese.subject).toContain("日本語");
    expect(japanese.headers.length).toBeGreaterThan(3);
  });

  it("synthesizes a stable Message-ID when there is none", async () => {
    const raw = "From: a@example.org\r\nSubject: no id\r\n\r\nhello\r\n";
    const a = await parseRawEmail(raw);
    expect(a.messageId).toMatch(/^<[0-9a-f]{40}@sairaph\.generated>$/);
    expect((await parseRawEmail(raw)).messageId).toBe(a.messageId);
    expect(messageIds("<a@b>  <c@d>")).toEqual(["<a@b>", "<c@d>"]);
    expect(messageIds("bare@id")).toEqual(["<bare@id>"]);
  });

  it("refuses mail over the part, depth and header caps with MimeLimitError, and keeps mail at the caps", async () => {
    await expect(parseRawEmail(nested(MIME_LIMITS.maxDepth + 5))).rejects.toMatchObject({ name: "MimeLimitError", limit: "depth" });
    expect((await parseRawEmail(nested(5))).text).toContain("deep inside");

    await expect(parseRawEmail(manyParts(MIME_LIMITS.maxParts + 1))).rejects.toBeInstanceOf(MimeLimitError);
    await expect(parseRawEmail(manyParts(MIME_LIMITS.maxParts + 1))).rejects.toMatchObject({ limit: "parts" });
    expect((await parseRawEmail(manyParts(MIME_LIMITS.maxParts))).attachments).toHaveLength(MIME_LIMITS.maxParts);

    // 20,000 folded lines of 72 bytes: about 1.5 MB of header.
    const folded = "X-Big: " + "a".repeat(70) + ("\r\n " + "b".repeat(70)).repeat(20_000);
    await expect(parseRawEmail(`From: big@example.org\r\nSubject: Huge\r\n${folded}\r\nMessage-ID: <huge@example.org>\r\n\r\nbody`)).rejects.toMatchObject({
      limit: "headers",
    });
    // A 200 KB folded subject (real mail) is fine.
    expect((await parseRawEmail(fixture("long-folded-subject-header.eml"))).subject.length).toBeGreaterThan(10_000);
  });

  it("never throws on arbitrary bytes", async () => {
    for (const raw of ["", "\r\n\r\n", "garbage without headers", "Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--", Buffer.from([0xff, 0xfe, 0x00, 0x0a])]) {
      await expect(parseRawEmail(raw)).resolves.toHaveProperty("messageId");
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const content = await parseRawEmail(bytes).catch((err: unknown) => {
          if (err instanceof MimeLimitError) return { messageId: "<limit@x>", attachments: [] };
          throw err;
        });
        return typeof content.messageId === "string" && Array.isArray(content.attachments);
      }),
      { numRuns: 200 },
    );
    const mimeish = fc.array(fc.constantFrom("--b\r\n", "Content-Type: multipart/mixed; boundary=b\r\n", "\r\n", "=?utf-8?B?////?=", "Content-Transfer-Encoding: base64\r\n", "x", "--b--\r\n", "Subject: s\r\n"), { maxLength: 200 });
    const parsedOrRefused = async (raw: string) => {
      try {
        return typeof (await parseRawEmail(raw)).subject === "string";
      } catch (err) {
        return err instanceof MimeLimitError;
      }
    };
    await fc.assert(fc.asyncProperty(mimeish, (pieces) => parsedOrRefused(pieces.join(""))), { numRuns: 200 });
  });
});
