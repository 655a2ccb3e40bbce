import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MessageContent } from "@/lib/messages/message-content";
import { openAttachment, openMessage } from "@/lib/messages/seal-message";

/** A stored outbound message decrypted back into the content the provider sends. */
export async function loadOutboundContent(input: { tenantId: string; mailboxId: string; messageId: string }): Promise<MessageContent | null> {
  const db = getDb();
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const row = await db.message.findFirst({
    where: { ...scope, id: input.messageId, direction: "outbound" },
    select: { id: true, metaCipher: true, bodyCipher: true, attachmentCount: true },
  });
  if (!row) return null;
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const { meta, body } = openMessage(cipher, row, { full: true });
  const attachmentRows = row.attachmentCount
    ? await db.attachment.findMany({ where: { ...scope, messageId: row.id }, orderBy: { id: "asc" } })
    : [];
  return {
    from: meta.from,
    to: meta.to,
    cc: meta.cc,
    bcc: meta.bcc,
    replyTo: meta.replyTo,
    subject: meta.subject,
    text: body!.text,
    html: body!.html,
    headers: body!.headers,
    messageId: meta.messageId,
    inReplyTo: meta.inReplyTo,
    references: meta.references,
    attachments: attachmentRows.map((a) => {
      const opened = openAttachment(cipher, a);
      return {
        filename: opened.meta.filename,
        contentType: opened.meta.contentType,
        content: opened.data,
        contentId: opened.meta.contentId,
        inline: a.inline,
      };
    }),
  };
}
