// Raw RFC 5322 bytes → MessageContent, with postal-mime (SPEC §5). Hostile input is
// the norm here: a message over the caps on parts, nesting depth or header bytes is
// refused (MimeLimitError) before or while its structure is walked, and malformed
// MIME is kept as far as it parses. Nothing else is ever thrown.
import { createHash } from "node:crypto";
import PostalMime from "postal-mime";
import type { Address, Email } from "postal-mime";
import type { MessageContent, Participant } from "@/lib/messages/message-content";

export const MIME_LIMITS = { maxParts: 1000, maxDepth: 20, maxHeaderBytes: 1_000_000 } as const;

export type MimeLimit = "parts" | "depth" | "headers";

/** The message is over one of MIME_LIMITS; nothing of it is stored. */
export class MimeLimitError extends Error {
  constructor(readonly limit: MimeLimit) {
    super(
      limit === "parts"
        ? `The message has more than ${MIME_LIMITS.maxParts} MIME parts`
        : limit === "depth"
          ? `The message nests MIME parts deeper than ${MIME_LIMITS.maxDepth} levels`
          : `The message has more than ${MIME_LIMITS.maxHeaderBytes} bytes of headers`,
    );
    this.name = "MimeLimitError";
  }
}

/**
 * postal-mime (pinned) stops with "Maximum MIME nesting depth of N levels exceeded" or
 * "Maximum header size of N bytes exceeded"; it has no error codes, so these two
 * messages are matched here and nowhere else (test/unit/parse-email.test.ts pins them).
 */
function limitOf(err: unknown): MimeLimit | null {
  const message = err instanceof Error ? err.message : "";
  if (message.startsWith("Maximum MIME nesting depth")) return "depth";
  if (message.startsWith("Maximum header size")) return "headers";
  return null;
}
/** The raw body kept as text when the MIME structure itself could not be parsed. */
const FALLBACK_BODY_BYTES = 1_000_000;
const MAX_REFERENCES = 100;

function flatten(addresses: Address[] | Address | undefined): Participant[] {
  const list = addresses === undefined ? [] : Array.isArray(addresses) ? addresses : [addresses];
  const out: Participant[] = [];
  for (const a of list) {
    if (a.group) for (const m of a.group) out.push({ address: m.address ?? "", name: m.name || null });
    else out.push({ address: a.address ?? "", name: a.name || null });
  }
  return out.filter((p) => p.address || p.name);
}

/** `<a@b> <c@d>` → ["<a@b>", "<c@d>"]; bare ids get their brackets. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return value.split(/\s+/).filter(Boolean).map((id) => `<${id.replace(/^<|>$/g, "")}>`);
}

/** Lines that open a MIME part (`--boundary`, not the closing `--boundary--`). */
function countPartDelimiters(raw: Buffer): number {
  let count = 0;
  let index = 0;
  for (;;) {
    index = raw.indexOf("\n--", index);
    if (index < 0) return count;
    const end = raw.indexOf("\n", index + 1);
    const line = raw.subarray(index + 3, end < 0 ? raw.length : end).toString("latin1").trimEnd();
    if (line.length > 0 && !line.endsWith("--")) count += 1;
    index += 3;
  }
}

function headerSection(raw: Buffer): { headers: Buffer; body: Buffer } {
  let end = raw.indexOf("\r\n\r\n");
  let sep = 4;
  const lf = raw.indexOf("\n\n");
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    sep = 2;
  }
  if (end < 0) return { headers: raw, body: Buffer.alloc(0) };
  return { headers: raw.subarray(0, end), body: raw.subarray(end + sep) };
}

/** When the MIME tree does not parse: the top-level headers (capped) and the body as text. */
async function parseHeadersOnly(raw: Buffer): Promise<Email> {
  const { headers, body } = headerSection(raw);
  let head = headers.subarray(0, MIME_LIMITS.maxHeaderBytes);
  if (head.length < headers.length) head = head.subarray(0, Math.max(0, head.lastIndexOf("\n")));
  // Parse the headers as a plain-text message so no MIME structure is walked.
  const cleaned = head.toString("latin1").replace(/^content-(type|transfer-encoding):.*(\r?\n[ \t].*)*$/gim, "");
  let email: Email;
  try {
    email = await PostalMime.parse(Buffer.from(`${cleaned}\r\nContent-Type: text/plain\r\n\r\n`, "latin1"), {
      maxHeadersSize: MIME_LIMITS.maxHeaderBytes + 1024,
    });
  } catch {
    email = { headers: [], headerLines: [], attachments: [] };
  }
  email.text = body.subarray(0, FALLBACK_BODY_BYTES).toString("utf8");
  email.html = undefined;
  email.attachments = [];
  return email;
}

function toBuffer(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === "string") return Buffer.from(content, "utf8");
  return content instanceof ArrayBuffer ? Buffer.from(content) : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

function toContent(email: Email, raw: Buffer): MessageContent {
  const from = flatten(email.from)[0] ?? flatten(email.sender)[0] ?? { address: "", name: null };
  const messageId =
    messageIds(email.messageId)[0] ?? `<${createHash("sha256").update(raw).digest("hex").slice(0, 40)}@sairaph.generated>`;
  return {
    from,
    to: flatten(email.to),
    cc: flatten(email.cc),
    bcc: flatten(email.bcc),
    replyTo: flatten(email.replyTo),
    subject: email.subject ?? "",
    text: email.text ?? null,
    html: email.html ?? null,
    headers: email.headers.map((h) => [h.originalKey ?? h.key, h.value] as [string, string]),
    messageId,
    inReplyTo: messageIds(email.inReplyTo)[0] ?? null,
    references: messageIds(email.references).slice(-MAX_REFERENCES),
    attachments: email.attachments.slice(0, MIME_LIMITS.maxParts).map((a, i) => ({
      filename: a.filename || `attachment-${i + 1}`,
      contentType: a.mimeType || "application/octet-stream",
      content: toBuffer(a.content),
      contentId: a.contentId ?? null,
      inline: a.disposition === "inline" || a.related === true,
    })),
  };
}

/** Parses a raw message, keeping what parses of malformed MIME. Throws MimeLimitError over a cap, nothing else. */
export async function parseRawEmail(bytes: Uint8Array | ArrayBuffer | string): Promise<MessageContent> {
  const raw = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
  if (countPartDelimiters(raw) > MIME_LIMITS.maxParts) throw new MimeLimitError("parts");
  let email: Email | null = null;
  try {
    email = await PostalMime.parse(raw, {
      maxNestingDepth: MIME_LIMITS.maxDepth,
      maxHeadersSize: MIME_LIMITS.maxHeaderBytes,
      attachmentEncoding: "arraybuffer",
    });
  } catch (err) {
    const limit = limitOf(err);
    if (limit) throw new MimeLimitError(limit);
    email = null;
  }
  try {
    return toContent(email ?? (await parseHeadersOnly(raw)), raw);
  } catch {
    return toContent({ headers: [], headerLines: [], attachments: [], text: raw.subarray(0, FALLBACK_BODY_BYTES).toString("utf8") }, raw);
  }
}
