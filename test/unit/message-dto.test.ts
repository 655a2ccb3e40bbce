import { describe, expect, it } from "vitest";
import { toMessageDto } from "@/lib/messages/message-dto";
import { messageDto } from "@/lib/messages/schemas";
import { contentDisposition, safeContentType } from "@/lib/messages/get-attachment";
import { indexedWords, queryTokens, words } from "@/lib/messages/search-tokens";
import { makeSnippet, normalizeMessageId } from "@/lib/messages/message-content";
import { testContent } from "@/test/helpers/messages";

const row = {
  id: "0190a000-0000-7000-8000-000000000001",
  tenantId: "tenant",
  mailboxId: "0190a000-0000-7000-8000-000000000002",
  threadId: "0190a000-0000-7000-8000-000000000003",
  direction: "inbound" as const,
  status: "received" as const,
  statusReason: null,
  read: false,
  labels: ["a"],
  sizeBytes: 10,
  sentAt: null,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  metaCipher: new Uint8Array([1, 2, 3]),
  bodyCipher: new Uint8Array([4, 5, 6]),
  rfcMessageIdHash: "hash",
  searchTokens: ["tok"],
  provider: null,
  providerMessageId: "prov",
};
const meta = {
  subject: "S",
  from: { address: "a@x.test" },
  to: [],
  cc: [],
  bcc: [{ address: "hidden@x.test" }],
  replyTo: [],
  snippet: "s",
  messageId: "<m@x>",
  inReplyTo: null,
  references: [],
  attachments: [],
};

describe("toMessageDto", () => {
  it("never copies ciphertext, hashes, tokens or tenant fields, and matches its schema", () => {
    const list = toMessageDto(row, { meta, body: null }, { full: false });
    const full = toMessageDto(row, { meta, body: { text: "t", html: null, headers: [["X", "y"]] } }, { full: true });
    for (const dto of [list, full]) {
      const keys = Object.keys(dto);
      for (const field of ["metaCipher", "bodyCipher", "rfcMessageIdHash", "searchTokens", "tenantId", "provider", "providerMessageId"]) {
        expect(keys).not.toContain(field);
      }
      expect(messageDto.strict().parse(dto)).toEqual(dto);
    }
    expect(list).not.toHaveProperty("text");
    expect(full).toMatchObject({ text: "t", html: null, headers: [{ name: "X", value: "y" }] });
    // Bcc of an inbound message is never shown (it could only leak a relay's envelope).
    expect(list.bcc).toEqual([]);
    expect(() => toMessageDto(row, { meta, body: null }, { full: true })).toThrow();
  });
});

describe("search words, snippets, ids, attachment headers", () => {
  it("splits words the same way for indexing and queries", () => {
    expect(words("Hello, WORLD! e-mail 42x Straße")).toEqual(["hello", "world", "e", "mail", "42x", "straße"]);
    const content = testContent({ subject: "Big News", from: { address: "Ann.Lee@Example.COM", name: "Ann Lee" }, text: "alpha beta" });
    expect(indexedWords(content)).toEqual(expect.arrayContaining(["big", "news", "ann.lee@example.com", "ann.lee", "example.com", "ann", "lee", "example", "com", "alpha", "beta"]));
    const cipher = { blindToken: (v: string) => v.replace("search:", "=") };
    expect(queryTokens(cipher, "  Alpha   ann.lee@example.com ")).toEqual(["=alpha", "=ann", "=lee", "=example", "=com"]);
  });

  it("caps the indexed text words", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(" ");
    const indexed = indexedWords(testContent({ text }));
    expect(indexed.filter((w) => /^w\d+$/.test(w)).length).toBe(2000);
  });

  it("makes snippets from text or html, and normalizes Message-IDs", () => {
    expect(makeSnippet({ text: null, html: "<style>p{}</style><p>Hi&nbsp;<b>there</b></p>" })).toBe("Hi there");
    expect(makeSnippet({ text: "x".repeat(500), html: null })).toHaveLength(200);
    expect(normalizeMessageId(" <ABC@Example.org> ")).toBe("abc@example.org");
  });

  it("escapes filenames per RFC 5987 and refuses unsafe content types", () => {
    expect(contentDisposition("résumé 1.pdf")).toBe(`attachment; filename="r_sum_ 1.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf`);
    expect(contentDisposition("a\r\nb.txt")).toBe(`attachment; filename="ab.txt"; filename*=UTF-8''ab.txt`);
    expect(contentDisposition("")).toContain('filename="attachment"');
    expect(safeContentType("Image/PNG; name=x")).toBe("image/png");
    expect(safeContentType("text/html\r\nSet-Cookie: x")).toBe("application/octet-stream");
    expect(safeContentType("")).toBe("application/octet-stream");
  });
});
