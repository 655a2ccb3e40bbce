// POST …/messages/{messageId}/forward: a new outbound message to new recipients that
// quotes the original (its sender, date, subject and recipients, then its text and
// HTML) and carries its attachments, inline images included. Subject "Fwd: …". It
// stays in the original's thread in this mailbox and lists the original in
// References (not In-Reply-To: it is not a reply), so an answer to the forward
// threads back into the same conversation.
import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import { htmlToText, type AttachmentInput, type MessageContent, type Participant, type SealedBody, type SealedMeta } from "@/lib/messages/message-content";
import { openAttachment, openMessage } from "@/lib/messages/seal-message";
import { formatAddress } from "@/lib/outbound/addresses";
import { acceptOutbound, assertCanSend, outboundMessageId, type Idempotency, type SendingMailbox, type SendVia } from "@/lib/outbound/accept-outbound";
import { replyReferences } from "@/lib/outbound/reply-message";
import { MAX_MESSAGE_BYTES, type ForwardMessageBody } from "@/lib/outbound/schemas";
import { participants } from "@/lib/outbound/send-message";

const MAX_SUBJECT = 998;

export function forwardSubject(subject: string): string {
  // The original subject came from a sender: no line breaks may reach our header.
  const clean = subject.replace(/[\r\n\0]+/g, " ");
  const prefixed = /^\s*(fwd?|fw)\s*:/i.test(clean.slice(0, 10)) ? clean : `Fwd: ${clean}`;
  return prefixed.slice(0, MAX_SUBJECT);
}

function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

const list = (ps: Participant[]) => ps.map(formatAddress).join(", ");

/** The "Forwarded message" block: header lines of the original, as text. */
export function forwardedHeaderLines(meta: SealedMeta, date: Date): string[] {
  const lines = ["---------- Forwarded message ---------", `From: ${formatAddress(meta.from)}`, `Date: ${date.toUTCString()}`, `Subject: ${meta.subject}`];
  if (meta.to.length) lines.push(`To: ${list(meta.to)}`);
  if (meta.cc.length) lines.push(`Cc: ${list(meta.cc)}`);
  return lines;
}

export function forwardBodies(
  note: Pick<ForwardMessageBody, "text" | "html">,
  original: { meta: SealedMeta; body: SealedBody; date: Date },
): { text: string; html: string | null } {
  const header = forwardedHeaderLines(original.meta, original.date);
  const originalText = original.body.text ?? (original.body.html ? htmlToText(original.body.html) : "");
  const noteText = note.text ?? (note.html ? htmlToText(note.html) : "");
  const text = `${noteText ? `${noteText}\n\n` : ""}${header.join("\n")}\n\n${originalText}`;
  if (note.html === undefined && original.body.html === null) return { text, html: null };
  const noteHtml = note.html ?? (note.text ? `<div style="white-space:pre-wrap">${escapeHtml(note.text)}</div>` : "");
  const quoted = original.body.html ?? `<div style="white-space:pre-wrap">${escapeHtml(originalText)}</div>`;
  const html =
    `${noteHtml}${noteHtml ? "<br><br>" : ""}<div class="gmail_quote">${header.map(escapeHtml).join("<br>")}<br><br>` +
    `${quoted}</div>`;
  return { text, html };
}

/** Bytes after base64, as the 25 MB send limit counts them. */
function forwardSizeBytes(content: { text: string; html: string | null; attachments: AttachmentInput[] }): number {
  let size = Buffer.byteLength(content.text) + Buffer.byteLength(content.html ?? "");
  for (const a of content.attachments) size += Math.ceil(a.content.length / 3) * 4;
  return size;
}

export async function forwardMessage(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  messageId: string;
  body: ForwardMessageBody;
  idempotency: Idempotency;
  via?: SendVia;
}) {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);
  return acceptOutbound({
    tenantId,
    mailbox,
    idempotency: input.idempotency,
    via: input.via,
    build: async (id) => {
      const row = await getMessageRowOrThrow({ tenantId, mailboxId: mailbox.id, id: input.messageId });
      const cipher = await getMailboxCipher(tenantId, mailbox.id);
      const { meta, body } = openMessage(cipher, row, { full: true });
      const attachmentRows = await getDb().attachment.findMany({
        where: { tenantId, mailboxId: mailbox.id, messageId: row.id },
        orderBy: { id: "asc" },
      });
      const attachments: AttachmentInput[] = attachmentRows.map((a) => {
        const opened = openAttachment(cipher, a);
        return { filename: opened.meta.filename, contentType: opened.meta.contentType, content: opened.data, contentId: opened.meta.contentId, inline: a.inline };
      });
      const { text, html } = forwardBodies(input.body, { meta, body: body!, date: row.createdAt });
      const size = forwardSizeBytes({ text, html, attachments });
      if (size > MAX_MESSAGE_BYTES) {
        throw new ApiError("payload_too_large", `The forward would be ${size} bytes after base64; at most ${MAX_MESSAGE_BYTES} are accepted`);
      }
      const content: MessageContent = {
        from: { address: mailbox.address, name: mailbox.displayName },
        to: participants(input.body.to),
        cc: participants(input.body.cc),
        bcc: participants(input.body.bcc),
        replyTo: [],
        subject: forwardSubject(meta.subject),
        text,
        html,
        headers: [],
        messageId: outboundMessageId(id, mailbox.address),
        inReplyTo: null,
        references: replyReferences(meta),
        attachments,
      };
      return { content, threadId: row.threadId };
    },
  });
}
