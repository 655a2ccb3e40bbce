// Seals and opens a message's rows with its mailbox's cipher. AAD binds tenant,
// mailbox, row id and field, so ciphertext moved to another row fails to open.
//
// sealMessage is the one place that decides what a stored message is: which fields
// are encrypted under which associated data, the attachments' metadata and bytes,
// the Message-ID hash, the search tokens and the size. Every writer of message rows
// (the send fast path, threaded sends, inbound mail) inserts its columns with
// lib/messages/message-insert.ts.
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import {
  contentSizeBytes,
  describeContent,
  normalizeMessageId,
  type MessageContent,
  type SealedAttachmentMeta,
  type SealedBody,
  type SealedMeta,
} from "@/lib/messages/message-content";
import { messageSearchTokens } from "@/lib/messages/search-tokens";

export const FIELD = { meta: "message.meta", body: "message.body", attachmentMeta: "attachment.meta", attachmentData: "attachment.data" } as const;

export type DecryptedMessage = { meta: SealedMeta; body: SealedBody | null };

/** The sealed columns of one message row (the rest are ids, state and times). */
export type SealedMessageColumns = {
  metaCipher: Uint8Array<ArrayBuffer>;
  bodyCipher: Uint8Array<ArrayBuffer>;
  rfcMessageIdHash: string;
  searchTokens: string[];
  sizeBytes: number;
  attachmentCount: number;
};

export type SealedAttachment = { id: string; metaCipher: Uint8Array<ArrayBuffer>; dataCipher: Uint8Array<ArrayBuffer>; size: number; inline: boolean };

export type SealedMessage = {
  columns: SealedMessageColumns;
  attachments: SealedAttachment[];
  /** What was sealed, for a response built without decrypting it again. */
  sealed: { meta: SealedMeta; body: SealedBody };
};

/** The same bytes as a Uint8Array over the Buffer's memory: no copy (a ciphertext can be 25 MB). */
function bytes(buf: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
}

/** Blind token of a normalized RFC Message-ID: dedupe and thread lookup without plaintext. */
export function messageIdHash(cipher: Pick<MailboxCipher, "blindToken">, messageId: string): string {
  return cipher.blindToken(`message-id:${normalizeMessageId(messageId)}`);
}

/**
 * Seals message `id` of the cipher's mailbox. The cipher must have reserved encryptionsNeeded(content).
 * Large attachment data is sealed by an offload worker (MailboxCipher.encryptLarge), off the event loop.
 */
export async function sealMessage(cipher: MailboxCipher, id: string, content: MessageContent): Promise<SealedMessage> {
  const { attachments, meta, body } = describeContent(content);
  const columns: SealedMessageColumns = {
    metaCipher: bytes(cipher.encryptJson(id, FIELD.meta, meta)),
    bodyCipher: bytes(cipher.encryptJson(id, FIELD.body, body)),
    rfcMessageIdHash: messageIdHash(cipher, content.messageId),
    searchTokens: messageSearchTokens(cipher, content),
    sizeBytes: contentSizeBytes(content),
    attachmentCount: attachments.length,
  };
  const sealedAttachments = await Promise.all(
    attachments.map(async (a) => {
      const attMeta: SealedAttachmentMeta = { filename: a.filename, contentType: a.contentType, contentId: a.contentId ?? null };
      const metaCipher = bytes(cipher.encryptJson(a.id, FIELD.attachmentMeta, attMeta));
      return {
        id: a.id,
        metaCipher,
        dataCipher: bytes(await cipher.encryptLarge(a.id, FIELD.attachmentData, Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength))),
        size: a.content.length,
        inline: a.inline ?? false,
      };
    }),
  );
  return { columns, attachments: sealedAttachments, sealed: { meta, body } };
}

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
