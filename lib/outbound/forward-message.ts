// Forwards a message of the mailbox to new recipients: "Fwd:" subject, an optional
// note above the quoted original (its From/Date/Subject/To/Cc block, its text and
// its HTML as sent to us), and the original's attachments. The forward joins the
// original's thread in this mailbox but carries no In-Reply-To: it starts a new
// conversation for its recipients. Limits, suppression, idempotency and the outbox
// apply as for any send (acceptOutbound).
import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { ApiError } from "@/lib/errors";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import type { MessageContent, Participant } from "@/lib/messages/message-content";
import { openAttachment, openMessage } from "@/lib/messages/seal-message";
import { parseAddress } from "@/lib/outbound/addresses";
import { acceptOutbound, assertCanSend, outboundMessageId, type Idempotency, type SendingMailbox } from "@/lib/outbound/accept-outbound";
import { addressList, MAX_MESSAGE_BYTES, MAX_RECIPIENTS } from "@/lib/outbound/schemas";

export const forwardMessageBody = z
  .object({
    to: addressList.describe("One address or a list"),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    text: z.string().max(1_000_000).optional().describe("A note above the forwarded message"),
    html: z.string().max(1_000_000).optional().describe("The note as HTML"),
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

export function forwardSubject(subject: string): string {
  return /^\s*(fwd?|fw)\s*:/i.test(subject) ? subject : `Fwd: ${subject}`;
}

const show = (p: Participant) => (p.name ? `${p.name} <${p.address}>` : p.address);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function toParticipants(list: string[] | undefined): Participant[] {
  return (list ?? []).map((v) => {
    const parsed = parseAddress(v)!; // the schema validated every address
    return { address: parsed.address, name: parsed.name };
  });
}

/** The quoted block of a forward, as text and as HTML. */
export function forwardedBody(
  note: { text?: string; html?: string },
  original: { from: Participant; to: Participant[]; cc: Participant[]; subject: string; date: Date; text: string | null; html: string | null },
): { text: string; html: string } {
  const header = [
    "---------- Forwarded message ---------",
    `From: ${show(original.from)}`,
    `Date: ${original.date.toUTCString()}`,
    `Subject: ${original.subject}`,
    `To: ${original.to.map(show).join(", ")}`,
    ...(original.cc.length ? [`Cc: ${original.cc.map(show).join(", ")}`] : []),
  ];
  const noteText = note.text ?? "";
  const text = `${noteText}${noteText ? "\n\n" : ""}${header.join("\n")}\n\n${original.text ?? ""}`;
  const noteHtml = note.html ?? (noteText ? `<p>${escapeHtml(noteText).replace(/\n/g, "<br>")}</p>` : "");
  const quoted = original.html ?? `<pre style="white-space:pre-wrap">${escapeHtml(original.text ?? "")}</pre>`;
  const html = `${noteHtml}<div class="forwarded-message"><p>${header.map(escapeHtml).join("<br>")}</p>${quoted}</div>`;
  return { text, html };
}

export async function forwardMessage(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  messageId: string;
  body: ForwardMessageBody;
  idempotency: Idempotency;
}) {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);
  return acceptOutbound({
    tenantId,
    mailbox,
    idempotency: input.idempotency,
    build: async (id) => {
      const row = await getMessageRowOrThrow({ tenantId, mailboxId: mailbox.id, id: input.messageId });
      const cipher = await getMailboxCipher(tenantId, mailbox.id);
      const { meta, body } = openMessage(cipher, row, { full: true });
      const attachmentRows = await getDb().attachment.findMany({
        where: { tenantId, mailboxId: mailbox.id, messageId: row.id },
        orderBy: { id: "asc" },
      });
      const attachments = attachmentRows.map((a) => {
        const opened = openAttachment(cipher, a);
        return {
          filename: opened.meta.filename,
          contentType: opened.meta.contentType,
          content: opened.data,
          contentId: opened.meta.contentId ?? null,
          inline: meta.attachments.find((m) => m.id === a.id)?.inline ?? false,
        };
      });
      const { text, html } = forwardedBody(input.body, {
        ...meta,
        date: row.sentAt ?? row.createdAt,
        text: body!.text,
        html: body!.html,
      });
      const size = Buffer.byteLength(text) + Buffer.byteLength(html) + attachments.reduce((n, a) => n + Math.ceil(a.content.length / 3) * 4, 0);
      if (size > MAX_MESSAGE_BYTES) {
        throw new ApiError("payload_too_large", `The forward would be ${size} bytes after base64; at most ${MAX_MESSAGE_BYTES} are accepted`);
      }
      const content: MessageContent = {
        from: { address: mailbox.address, name: mailbox.displayName },
        to: toParticipants(input.body.to),
        cc: toParticipants(input.body.cc),
        bcc: toParticipants(input.body.bcc),
        replyTo: [],
        subject: forwardSubject(meta.subject),
        text,
        html,
        headers: [],
        messageId: outboundMessageId(id, mailbox.address),
        inReplyTo: null,
        references: [],
        attachments,
      };
      return { content, threadId: row.threadId };
    },
  });
}
