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
  return value.trim().replace(/^<+/, "").replace(/>+$/, "").trim().toLowerCase();
}

const SKIPPED_ELEMENTS = new Set(["script", "style", "head"]);
const ENTITIES: Record<string, string> = { "&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/**
 * Visible text of (attacker-written) HTML in one left-to-right pass: tags become spaces
 * and script/style/head elements are dropped. Each search for a closing tag resumes
 * where the last one ended, so the whole pass is linear in the input (a regular
 * expression with a lazy body and a backreference was quadratic on unclosed elements).
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const closeAt = new Map<string, number>(); // per element: where its next closing tag starts (-1: none left)
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const gt = lt < 0 ? -1 : html.indexOf(">", lt + 1);
    if (lt < 0 || gt < 0) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt), " ");
    i = gt + 1;
    let nameEnd = lt + 1;
    while (nameEnd < gt && /[a-z]/.test(lower[nameEnd])) nameEnd += 1;
    const name = lower.slice(lt + 1, nameEnd);
    if (!SKIPPED_ELEMENTS.has(name)) continue;
    let close = closeAt.get(name);
    if (close === undefined || (close >= 0 && close < i)) {
      close = lower.indexOf(`</${name}`, Math.max(i, close ?? 0));
      closeAt.set(name, close);
    }
    if (close < 0) continue;
    const end = html.indexOf(">", close);
    if (end < 0) continue;
    i = end + 1;
  }
  return out.join("").replace(/&(?:nbsp|amp|lt|gt|quot|#39);/gi, (entity) => ENTITIES[entity.toLowerCase()]);
}

export function plainText(content: Pick<MessageContent, "text" | "html">): string {
  return content.text ?? (content.html ? htmlToText(content.html) : "");
}

export function makeSnippet(content: Pick<MessageContent, "text" | "html">): string {
  const flat = plainText(content).replace(/\s+/g, " ").trim();
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
