// One zod schema per request (send, reply): it validates, types, feeds OpenAPI and
// the MCP tools. Header injection is refused, never stripped: CR, LF or NUL in any
// address, display name, subject, header name/value or filename is a 400.
import { z } from "zod";
import { HEADER_BREAK_RE, parseAddress } from "@/lib/outbound/addresses";
import { AttachmentBytes, isDecodedContentToken } from "@/lib/outbound/attachment-bytes";

export const MAX_RECIPIENTS = 50;
/** Total size of a message after base64: attachments as sent plus text and html. */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** The JSON body may carry a little more than the message itself (keys, quotes, headers). */
export const MAX_SEND_BODY_BYTES = MAX_MESSAGE_BYTES + 512 * 1024;
export const MAX_ATTACHMENTS = 100;
export const MAX_CUSTOM_HEADERS = 50;

const NO_BREAK = "must not contain CR, LF or NUL";

/**
 * Custom headers a sender may set. Anything structural (From, To, Cc, Bcc, Reply-To,
 * Return-Path, Sender, Message-ID, Date, In-Reply-To, References, Subject, MIME and
 * Content-* fields, Received, DKIM, Resent-*) is ours to write; only these and X-* pass.
 */
const ALLOWED_HEADERS = new Set(
  [
    "list-unsubscribe",
    "list-unsubscribe-post",
    "list-id",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "list-post",
    "auto-submitted",
    "precedence",
    "importance",
    "priority",
    "sensitivity",
    "keywords",
    "comments",
    "organization",
    "feedback-id",
    "thread-topic",
    "thread-index",
    "content-language",
  ].map((h) => h.toLowerCase()),
);
// X-headers that would still be read as structural or as a provider instruction.
const REFUSED_X_HEADERS = new Set(["x-original-to", "x-envelope-to", "x-envelope-from", "x-sender", "x-receiver"]);
/** RFC 5322 field name: printable US-ASCII except colon. */
const HEADER_NAME_RE = /^[\x21-\x39\x3b-\x7e]{1,76}$/;

export function isAllowedCustomHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (ALLOWED_HEADERS.has(lower)) return true;
  return lower.startsWith("x-") && lower.length > 2 && !REFUSED_X_HEADERS.has(lower);
}

const address = z
  .string()
  .max(400)
  .refine((v) => !HEADER_BREAK_RE.test(v), NO_BREAK)
  .refine((v) => HEADER_BREAK_RE.test(v) || parseAddress(v) !== null, "must be an email address such as a@example.com or Name <a@example.com>")
  .describe('An address, optionally with a display name: "a@example.com" or "Ann <a@example.com>"');

export const addressList = z.union([address, z.array(address).max(MAX_RECIPIENTS)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const noBreak = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !HEADER_BREAK_RE.test(v), NO_BREAK);

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export const attachmentInput = z
  .object({
    filename: noBreak(255).min(1),
    contentType: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/, "must be a MIME type such as application/pdf")
      .default("application/octet-stream"),
    // Decoded here (or already, off the event loop, for a large body: lib/outbound/attachment-bytes.ts).
    content: z
      .string()
      .min(1)
      .refine((v) => isDecodedContentToken(v) || (v.length % 4 === 0 && BASE64_RE.test(v)), "must be standard base64 (no line breaks)")
      .describe("The file, base64")
      .transform((v) => AttachmentBytes.fromBase64(v)),
    contentId: noBreak(255).regex(/^[^<>\s]+$/, "must be a Content-ID without <> or spaces").optional().describe("Makes the attachment inline, referenced as cid:<contentId>"),
  })
  .strict();

export const customHeaders = z
  .record(
    z.string().regex(HEADER_NAME_RE, "must be a header name (printable ASCII, no colon)"),
    noBreak(2000),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_CUSTOM_HEADERS) ctx.addIssue({ code: "custom", message: `at most ${MAX_CUSTOM_HEADERS} headers` });
    for (const name of names) {
      if (HEADER_BREAK_RE.test(name)) ctx.addIssue({ code: "custom", path: [name], message: NO_BREAK });
      else if (!isAllowedCustomHeader(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: `the ${name} header cannot be set; use X-* or a List-*/Auto-Submitted style header` });
      }
    }
  })
  .describe("Extra headers: X-* and a few informational ones (List-Unsubscribe, Auto-Submitted, …)");

function atLeastOneBody(body: { text?: string; html?: string }, ctx: z.RefinementCtx) {
  if (body.text === undefined && body.html === undefined) {
    ctx.addIssue({ code: "custom", path: ["text"], message: "send text, html or both" });
  }
}

/** A send's (and an edited approval's) text or html, at least one To, at most MAX_RECIPIENTS in all. */
function bodyAndRecipients(body: { text?: string; html?: string; to: unknown[]; cc?: unknown[]; bcc?: unknown[] }, ctx: z.RefinementCtx) {
  atLeastOneBody(body, ctx);
  const count = body.to.length + (body.cc?.length ?? 0) + (body.bcc?.length ?? 0);
  if (body.to.length === 0) ctx.addIssue({ code: "custom", path: ["to"], message: "at least one recipient" });
  if (count > MAX_RECIPIENTS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc together (got ${count})` });
  }
}

export const sendMessageBody = z
  .object({
    to: addressList.describe("One address or a list"),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject: noBreak(998).min(1),
    text: z.string().optional(),
    html: z.string().optional(),
    replyTo: addressList.optional(),
    headers: customHeaders.optional(),
    attachments: z.array(attachmentInput).max(MAX_ATTACHMENTS).optional(),
  })
  .strict()
  .superRefine(bodyAndRecipients);

export type SendMessageBody = z.infer<typeof sendMessageBody>;

export const replyMessageBody = z
  .object({
    text: z.string().optional(),
    html: z.string().optional(),
    replyAll: z.boolean().default(false).describe("Also reply to the original To and Cc (minus this mailbox)"),
  })
  .strict()
  .superRefine(atLeastOneBody);

export type ReplyMessageBody = z.infer<typeof replyMessageBody>;

export const forwardMessageBody = z
  .object({
    to: addressList.describe("One address or a list"),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    text: z.string().optional().describe("A note above the forwarded message"),
    html: z.string().optional().describe("The note as HTML"),
  })
  .strict()
  .superRefine((body, ctx) => {
    const count = body.to.length + (body.cc?.length ?? 0) + (body.bcc?.length ?? 0);
    if (body.to.length === 0) ctx.addIssue({ code: "custom", path: ["to"], message: "at least one recipient" });
    if (count > MAX_RECIPIENTS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc together (got ${count})` });
    }
  });

export type ForwardMessageBody = z.infer<typeof forwardMessageBody>;

/** Bytes of the message after base64: attachment payloads as sent, plus text and html. */
export function messageSizeBytes(body: { text?: string; html?: string; attachments?: { content: AttachmentBytes }[] }): number {
  let size = Buffer.byteLength(body.text ?? "") + Buffer.byteLength(body.html ?? "");
  for (const a of body.attachments ?? []) size += a.content.base64Length;
  return size;
}

/** POST …/messages/{messageId}/reject: an optional reason, shown with the message (statusReason). */
export const rejectMessageBody = z
  .object({ reason: z.string().trim().max(1000).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, "must not contain control characters").optional() })
  .strict();

export type RejectMessageBody = z.infer<typeof rejectMessageBody>;

/**
 * Edit-then-approve in the dashboard: the held message's recipients, subject and body
 * as the approver leaves them (all of them, replacing the stored ones), validated like a send.
 */
export const approvalEdits = z
  .object({
    to: addressList,
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject: noBreak(998).min(1),
    text: z.string().max(MAX_MESSAGE_BYTES).optional(),
    html: z.string().max(MAX_MESSAGE_BYTES).optional(),
  })
  .strict()
  .superRefine(bodyAndRecipients);

export type ApprovalEdits = z.infer<typeof approvalEdits>;

/** POST …/messages/{messageId}/approve takes no fields (the body may be left out, or be `{}`). */
export const approveMessageBody = z.object({}).strict();
