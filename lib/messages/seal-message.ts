// Seals and opens a message's rows with its mailbox's cipher. AAD binds tenant,
// mailbox, row id and field, so ciphertext moved to another row fails to open.
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import type { SealedAttachmentMeta, SealedBody, SealedMeta } from "@/lib/messages/message-content";

export const FIELD = { meta: "message.meta", body: "message.body", attachmentMeta: "attachment.meta", attachmentData: "attachment.data" } as const;

export type DecryptedMessage = { meta: SealedMeta; body: SealedBody | null };

export function openMessage(
  cipher: MailboxCipher,
  row: { id: string; metaCipher: Uint8Array; bodyCipher?: Uint8Array },
  options: { full: boolean },
): DecryptedMessage {
  const meta = cipher.decryptJson<SealedMeta>(row.id, FIELD.meta, row.metaCipher);
  if (!options.full) return { meta, body: null };
  if (!row.bodyCipher) throw new Error("openMessage({ full: true }) needs the row's bodyCipher");
  return { meta, body: cipher.decryptJson<SealedBody>(row.id, FIELD.body, row.bodyCipher) };
}

export function openAttachment(cipher: MailboxCipher, row: { id: string; metaCipher: Uint8Array; dataCipher: Uint8Array }) {
  return {
    meta: cipher.decryptJson<SealedAttachmentMeta>(row.id, FIELD.attachmentMeta, row.metaCipher),
    data: cipher.decrypt(row.id, FIELD.attachmentData, row.dataCipher),
  };
}
