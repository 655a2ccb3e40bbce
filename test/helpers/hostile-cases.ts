// The worst case of every parser that reads attacker text (request bodies, mail,
// headers, query strings), each at the largest size the app accepts. Each case
// returns a small summary so the test can check the answer too. Run by
// test/unit/hostile-input.test.ts in a worker thread, so a case that backtracks
// is stopped and reported instead of freezing the test run.
import { htmlToText, makeSnippet, normalizeMessageId, plainText } from "@/lib/messages/message-content";
import { indexedWords, words } from "@/lib/messages/search-tokens";
import { isValidAddress, parseAddress } from "@/lib/outbound/addresses";
import { attachmentInput, customHeaders, MAX_MESSAGE_BYTES, MAX_SEND_BODY_BYTES, sendMessageBody } from "@/lib/outbound/schemas";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { messageIds, MIME_LIMITS, parseRawEmail } from "@/lib/inbound/parse-email";
import { listMailboxesQuery } from "@/lib/mailboxes/schemas";
import { listMessagesQuery } from "@/lib/messages/schemas";
import { decodeAddressParam } from "@/lib/suppression/schemas";
import { signUpSchema } from "@/lib/auth/sign-up";
import { inviteMemberSchema } from "@/lib/members/invite-member";
import { hashLinkToken } from "@/lib/auth/link-tokens";
import { contentDisposition, safeContentType } from "@/lib/messages/get-attachment";
import { readBearer } from "@/lib/keys/authenticate-key";
import { readIdempotencyKey } from "@/lib/http/idempotency";
import { normalizeDomain } from "@/lib/domains/add-domain";
import type { MessageContent } from "@/lib/messages/message-content";

/** The send body cap: a single string field can be this long. */
const BODY = MAX_SEND_BODY_BYTES;
/** Webhook events and server-action forms are capped at 1 MB. */
const MB = 1_000_000;
/** Node's default header limit is 16 KB; 64 KB covers a proxy that allows more. */
const HEADER = 64 * 1024;

const ok = (v: unknown) => (v === null || v === undefined ? "null" : typeof v === "string" ? `string:${v.length}` : String(v));
const safe = (f: () => unknown) => {
  try {
    return ok(f());
  } catch (e) {
    return `threw:${(e as { code?: string }).code ?? "error"}`;
  }
};
const safeAsync = async (f: () => Promise<unknown>) => {
  try {
    return ok(await f());
  } catch (e) {
    return `threw:${(e as { limit?: string }).limit ?? "error"}`;
  }
};
const mime = (body: string) => `From: a@b.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n${body}`;

function content(overrides: Partial<MessageContent>): MessageContent {
  return {
    from: { address: "a@example.com" },
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: "s",
    text: null,
    html: null,
    headers: [],
    messageId: "<m@example.com>",
    inReplyTo: null,
    references: [],
    attachments: [],
    ...overrides,
  };
}

function nestedMime(depth: number): string {
  let head = "From: a@example.com\r\nTo: b@example.com\r\nSubject: nested\r\nMIME-Version: 1.0\r\n";
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    open += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    close = `\r\n--b${i}--\r\n${close}`;
  }
  head += open + "Content-Type: text/plain\r\n\r\nhello" + close;
  return head;
}

export const hostileCases: Record<string, () => Promise<string> | string> = {
  // HTML → text (snippets and the search index): every "<" opens a tag with no ">".
  "html of <": () => ok(htmlToText("<".repeat(MAX_MESSAGE_BYTES))),
  "html of <script> never closed": () => ok(htmlToText("<script>".repeat(MAX_MESSAGE_BYTES / 8))),
  "html of <a without >": () => ok(htmlToText("<a ".repeat(MAX_MESSAGE_BYTES / 3))),
  "html of </script": () => ok(htmlToText("<script></script".repeat(MAX_MESSAGE_BYTES / 16))),
  "snippet of html <": () => makeSnippet({ text: null, html: "<".repeat(MAX_MESSAGE_BYTES) }),
  "snippet of whitespace": () => ok(makeSnippet({ text: " \t".repeat(MAX_MESSAGE_BYTES / 2) + "x", html: null })),
  "search words of html <": () => ok(indexedWords(content({ html: "<".repeat(MAX_MESSAGE_BYTES) })).length),
  "search words of text": () => ok(indexedWords(content({ text: "ab ".repeat(MAX_MESSAGE_BYTES / 3) })).length),
  "words of one long word": () => ok(words("a".repeat(MAX_MESSAGE_BYTES)).length),
  "plain text cap": () => ok(plainText({ text: "a".repeat(MAX_MESSAGE_BYTES), html: null })),
  // Addresses: zod runs refinements after .max() fails, so the parser sees the whole string.
  "address of spaces": () => ok(parseAddress(" ".repeat(BODY))),
  "address of spaces then <": () => ok(parseAddress(`${" ".repeat(BODY)}<a@b.example`)),
  "address of <": () => ok(parseAddress("<".repeat(BODY) + ">")),
  "address valid check of a": () => ok(isValidAddress("a".repeat(BODY))),
  "send schema, address of spaces": () => ok(sendMessageBody.safeParse({ to: " ".repeat(BODY), subject: "s", text: "t" }).success),
  "send schema, 50 addresses of spaces": () =>
    ok(sendMessageBody.safeParse({ to: Array.from({ length: 50 }, () => `${" ".repeat(BODY / 50)}x`), subject: "s", text: "t" }).success),
  "attachment fields": () =>
    ok(
      attachmentInput.safeParse({ filename: "f", contentType: `a${"a".repeat(BODY)}`, content: `${"A".repeat(BODY)}!`, contentId: " ".repeat(BODY) })
        .success,
    ),
  "custom header name": () => ok(customHeaders.safeParse({ ["x-".padEnd(BODY, "a") + ":"]: "v" }).success),
  // Provider texts (1 MB webhook events).
  "redact one long word": () => ok(redactAddresses("a".repeat(MB))),
  "redact many @": () => ok(redactAddresses("@".repeat(MB))),
  // Mail headers and MIME.
  "message ids of >": () => ok(normalizeMessageId(`<${">".repeat(MB)}x`)),
  "message id list": () => ok(messageIds(`${"<a ".repeat(MB / 3)}`).length),
  "message id list of spaces": () => ok(messageIds(`${"> ".repeat(MB / 2)}`).length),
  // Inbound raw MIME: the route accepts MAX_MESSAGE_BYTES.
  "mime nested 100000 deep": () => safeAsync(async () => (await parseRawEmail(nestedMime(100_000))).subject),
  "mime nested at the depth limit": () => safeAsync(async () => (await parseRawEmail(nestedMime(19))).text),
  "mime From of spaces and <": () => safeAsync(async () => (await parseRawEmail(`From: ${" <".repeat(MB / 2 - 10)}\r\nSubject: x\r\n\r\nbody`)).subject),
  "mime References of >": () =>
    safeAsync(async () => (await parseRawEmail(`From: a@b.example\r\nReferences: ${"> ".repeat(MB / 2 - 10)}\r\n\r\nbody`)).references.length),
  "mime content-type headers": () =>
    safeAsync(async () => (await parseRawEmail(`From: a@b.example\r\n${"Content-Type: text/plain\r\n ".repeat(MB / 30)}\r\n\r\nbody`)).subject),
  "mime 25 MB of empty lines": () => safeAsync(async () => (await parseRawEmail(mime("\r\n".repeat(MAX_MESSAGE_BYTES / 2 - 100)))).subject),
  "mime the most lines allowed, empty": () => safeAsync(async () => (await parseRawEmail(mime("\r\n".repeat(MIME_LIMITS.maxLines - 10)))).subject),
  "mime the most lines allowed, short": () => safeAsync(async () => (await parseRawEmail(mime("a\r\n".repeat(MIME_LIMITS.maxLines - 10)))).text),
  "mime 25 MB in 76-character lines": () => safeAsync(async () => (await parseRawEmail(mime(`${"a".repeat(74)}\r\n`.repeat(MAX_MESSAGE_BYTES / 76)))).subject),
  // Query strings, headers, form fields.
  "message search q": () => ok(listMessagesQuery.safeParse({ q: " a".repeat(HEADER) }).success),
  "mailbox search q": () => ok(listMailboxesQuery.safeParse({ q: "a".repeat(HEADER) + "\u0000" }).success),
  "suppression path segment": () => safe(() => decodeAddressParam("%41".repeat(HEADER))),
  "sign-up email": () => ok(signUpSchema.safeParse({ email: `${"a.".repeat(MB / 2)}@`, password: "x", tenantName: "t" }).success),
  "sign-up email of dots": () => ok(signUpSchema.safeParse({ email: `a@${"a.".repeat(MB / 2)}1`, password: "x", tenantName: "t" }).success),
  "invitation email": () => ok(inviteMemberSchema.safeParse({ email: `${"a.".repeat(MB / 2)}@`, role: "viewer" }).success),
  "emailed link token": () => ok(hashLinkToken("A".repeat(HEADER))),
  "bearer header": () => safe(() => readBearer(`Bearer ${" ".repeat(HEADER)}x ${" ".repeat(HEADER)}y`)),
  "idempotency header": () => safe(() => readIdempotencyKey(new Request("http://x/", { headers: { "idempotency-key": "a".repeat(HEADER) } }))),
  "attachment filename": () => ok(contentDisposition("\u0001\u00e9'".repeat(MB / 3))),
  "attachment content type": () => ok(safeContentType(`a/${"a".repeat(MB)};`)),
  "domain name": () => safe(() => normalizeDomain(`${"a.".repeat(MB / 2)}-`)),
};
