import "server-only";
import { getDb } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import type { MessageContent } from "@/lib/messages/message-content";
import { openAttachment, openMessage } from "@/lib/messages/seal-message";

type StoredRow = { id: string; metaCipher: Uint8Array; bodyCipher: Uint8Array; attachmentCount: number };

/**
 * A stored outbound message (the row the worker already loaded) decrypted back into
 * the content the provider sends. Attachments are read one row at a time, so at most
 * one attachment's ciphertext is held next to the decrypted bytes (25 MB messages).
 */
export async function openOutboundContent(
  cipher: MailboxCipher,
  scope: { tenantId: string; mailboxId: string },
  row: StoredRow,
): Promise<MessageContent> {
  const { meta, body } = openMessage(cipher, row, { full: true });
  const attachments: MessageContent["attachments"] = [];
  if (row.attachmentCount) {
    const db = getDb();
    const ids = await db.attachment.findMany({ where: { ...scope, messageId: row.id }, orderBy: { id: "asc" }, select: { id: true } });
    for (const { id } of ids) {
      const stored = await db.attachment.findFirst({
        where: { ...scope, id },
        select: { id: true, metaCipher: true, dataCipher: true, inline: true },
      });
      if (!stored) continue;
      const opened = openAttachment(cipher, stored);
      attachments.push({
        filename: opened.meta.filename,
        contentType: opened.meta.contentType,
        content: opened.data,
        contentId: opened.meta.contentId,
        inline: stored.inline,
      });
    }
  }
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
    attachments,
  };
}
