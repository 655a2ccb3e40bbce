// What a message is before it is sealed, and the sealed layout of its rows: "meta"
// (what lists show) and "body" (text, html, headers) per message; "meta" and "data"
// per attachment. Shared by inbound, outbound and the read API.
import { uuidv7 } from "@/lib/ids";

export type Participant = { address: string; name?: string | null };

export type AttachmentInput = {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId?: string | null;
  inline?: boolean;
};

export type MessageContent = {
  from: Participant;
  to: Participant[];
  cc: Participant[];
  bcc: Participant[];
  replyTo: Participant[];
  subject: string;
  text: string | null;
  html: string | null;
  /** Every header as received or sent, in order. */
  headers: [string, string][];
  /** RFC 5322 Message-ID including the angle brackets. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: AttachmentInput[];
};

export type AttachmentSummary = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
};

/** Sealed as the message's "meta" field. */
export type SealedMeta = {
  subject: string;
  from: Participant;
  to: Participant[];
  cc: Participant[];
  bcc: Participant[];
  replyTo: Participant[];
  snippet: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: AttachmentSummary[];
};

/** Sealed as the message's "body" field. */
export type SealedBody = { text: string | null; html: string | null; headers: [string, string][] };

/** Sealed as an attachment's "meta" field; its bytes are the "data" field. */
export type SealedAttachmentMeta = { filename: string; contentType: string; contentId: string | null };

export const SNIPPET_LENGTH = 200;

/** Encryptions one stored message needs: meta + body, and meta + data per attachment. */
export function encryptionsNeeded(content: Pick<MessageContent, "attachments">): number {
  return 2 + 2 * content.attachments.length;
}

/** "<a@b>" and " A@B " are the same Message-ID for dedupe and threading. */
export function normalizeMessageId(value: string): string {
  // Index loops, not /^<+/ and />+$/: the latter rescans a long run of ">" from each of its characters.
  const trimmed = value.trim();
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed.charCodeAt(start) === 60) start++;
  while (end > start && trimmed.charCodeAt(end - 1) === 62) end--;
  return trimmed.slice(start, end).trim().toLowerCase();
}

/** Text longer than this is cut before it feeds a snippet or the search index. */
export const MAX_DERIVED_TEXT_CHARS = 256 * 1024;

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
const ENTITY_RE = /&(nbsp|amp|lt|gt|quot|#39);/gi;
/** Elements whose content is not text a reader sees. */
const HIDDEN_ELEMENTS = ["script", "style", "head"];

/**
 * HTML → the words a reader sees, in one left-to-right pass (linear in the input:
 * attacker HTML such as 25 MB of "<" must not cost quadratic time). Tags become a
 * space, script/style/head elements vanish with their content, the common entities
 * are decoded; a "<" with no ">" after it stays text. Stops once `maxChars` of text
 * have been produced.
 */
export function htmlToText(html: string, maxChars = Number.POSITIVE_INFINITY): string {
  const out: string[] = [];
  let produced = 0;
  // Where the next closing tag of each hidden element starts; -1 = there is none left.
  const closeAt = new Map<string, number>();
  const nextClose = (name: string, from: number): number => {
    const known = closeAt.get(name);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const re = new RegExp(`</${name}`, "gi");
    re.lastIndex = from;
    const found = re.exec(html)?.index ?? -1;
    closeAt.set(name, found);
    return found;
  };
  const emit = (text: string) => {
    out.push(text);
    produced += text.length;
  };
  let i = 0;
  while (i < html.length && produced < maxChars) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      emit(html.slice(i));
      break;
    }
    if (lt > i) emit(html.slice(i, lt));
    const gt = html.indexOf(">", lt + 1);
    // No ">" anywhere after: every remaining "<" is text (and no later search can succeed).
    if (gt < 0) {
      emit(html.slice(lt));
      break;
    }
    if (gt === lt + 1) {
      emit("<>");
      i = gt + 1;
      continue;
    }
    const hidden = isLetter(html.charCodeAt(lt + 1)) ? HIDDEN_ELEMENTS.find((name) => startsTag(html, lt + 1, name)) : undefined;
    let end = gt + 1;
    if (hidden) {
      const close = nextClose(hidden, gt + 1);
      if (close >= 0) {
        const closeEnd = html.indexOf(">", close);
        end = closeEnd < 0 ? html.length : closeEnd + 1;
      }
    }
    emit(" ");
    i = end;
  }
  const text = out.join("");
  return (text.length > maxChars ? text.slice(0, maxChars) : text).replace(ENTITY_RE, (_m, name: string) => ENTITIES[name.toLowerCase()]);
}

function isLetter(code: number): boolean {
  return (code | 0x20) >= 97 && (code | 0x20) <= 122;
}

/** `<name` at `at` followed by a delimiter (whitespace, "/" or ">"), ASCII case-insensitively. */
function startsTag(html: string, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    if ((html.charCodeAt(at + k) | 0x20) !== name.charCodeAt(k)) return false;
  }
  const next = html.charCodeAt(at + name.length);
  // ">", "/", space, tab, LF, FF, CR
  return next === 62 || next === 47 || next === 32 || next === 9 || next === 10 || next === 12 || next === 13;
}

/** The message as plain text, at most `maxChars` long (snippets and the search index read no further). */
export function plainText(content: Pick<MessageContent, "text" | "html">, maxChars = MAX_DERIVED_TEXT_CHARS): string {
  if (content.text !== null && content.text !== undefined) return content.text.length > maxChars ? content.text.slice(0, maxChars) : content.text;
  return content.html ? htmlToText(content.html, maxChars) : "";
}

/** Enough text for a snippet even when it opens with a long run of whitespace. */
const SNIPPET_SOURCE_CHARS = 16 * 1024;

export function makeSnippet(content: Pick<MessageContent, "text" | "html">): string {
  const flat = plainText(content, SNIPPET_SOURCE_CHARS).replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH - 1)}…` : flat;
}

export function contentSizeBytes(content: MessageContent): number {
  let size = Buffer.byteLength(content.subject) + Buffer.byteLength(content.text ?? "") + Buffer.byteLength(content.html ?? "");
  for (const [name, value] of content.headers) size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  for (const a of content.attachments) size += a.content.length;
  return size;
}

/**
 * What a stored message seals: its attachments (with fresh ids), the "meta" part
 * lists show and the "body" part. The one description every writer of message
 * rows uses, so the send fast path and the message store cannot drift apart.
 */
export function describeContent(content: MessageContent): {
  attachments: (AttachmentInput & { id: string })[];
  meta: SealedMeta;
  body: SealedBody;
} {
  const attachments = content.attachments.map((a) => ({ ...a, id: uuidv7() }));
  const summaries: AttachmentSummary[] = attachments.map((a) => ({
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.content.length,
    contentId: a.contentId ?? null,
    inline: a.inline ?? false,
  }));
  const meta: SealedMeta = {
    subject: content.subject,
    from: content.from,
    to: content.to,
    cc: content.cc,
    bcc: content.bcc,
    replyTo: content.replyTo,
    snippet: makeSnippet(content),
    messageId: content.messageId,
    inReplyTo: content.inReplyTo,
    references: content.references,
    attachments: summaries,
  };
  return { attachments, meta, body: { text: content.text, html: content.html, headers: content.headers } };
}
