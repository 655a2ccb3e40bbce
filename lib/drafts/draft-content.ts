// What a draft is when sealed, and its explicit serializer. Like a message (SPEC §6)
// every field is AES-256-GCM ciphertext under the mailbox's DEK with associated data
// binding tenant, mailbox, row id and field, so a draft's ciphertext opens nowhere
// else (not even as a message of the same mailbox: the field names differ).
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { makeSnippet } from "@/lib/messages/message-content";
import type { DraftDto } from "@/lib/drafts/schemas";

export const DRAFT_FIELD = {
  meta: "draft.meta",
  body: "draft.body",
  attachmentMeta: "draft_attachment.meta",
  attachmentData: "draft_attachment.data",
} as const;

export type DraftAttachmentSummary = { id: string; filename: string; contentType: string; size: number; contentId: string | null; inline: boolean };

/** Sealed as the draft's "meta" field: what a list shows. */
export type DraftMeta = {
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string | null;
  inReplyTo: string | null;
  snippet: string;
  attachments: DraftAttachmentSummary[];
};

/** Sealed as the draft's "body" field. */
export type DraftBody = { text: string | null; html: string | null; headers: Record<string, string> };

export type DraftAttachmentMeta = { filename: string; contentType: string; contentId: string | null; inline: boolean };

export type DraftRow = { id: string; mailboxId: string; metaCipher: Uint8Array; bodyCipher?: Uint8Array; sizeBytes: number; version: number; createdAt: Date; updatedAt: Date };

export function draftSnippet(body: Pick<DraftBody, "text" | "html">): string {
  return makeSnippet({ text: body.text, html: body.html });
}

/** Base64 length of `bytes` bytes: a draft's size counts like a send's, after base64. */
export const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

export function draftSizeBytes(body: Pick<DraftBody, "text" | "html">, attachments: { size: number }[]): number {
  let size = Buffer.byteLength(body.text ?? "") + Buffer.byteLength(body.html ?? "");
  for (const a of attachments) size += base64Length(a.size);
  return size;
}

export function openDraftMeta(cipher: MailboxCipher, row: { id: string; metaCipher: Uint8Array }): DraftMeta {
  return cipher.decryptJson<DraftMeta>(row.id, DRAFT_FIELD.meta, row.metaCipher);
}

export function openDraftBody(cipher: MailboxCipher, row: { id: string; bodyCipher: Uint8Array }): DraftBody {
  return cipher.decryptJson<DraftBody>(row.id, DRAFT_FIELD.body, row.bodyCipher);
}

/** The explicit serializer: named fields only, so ciphertext and versions never reach a response. */
export function toDraftDto(row: DraftRow, meta: DraftMeta, body: DraftBody | null): DraftDto {
  const dto: DraftDto = {
    id: row.id,
    mailboxId: row.mailboxId,
    to: [...meta.to],
    cc: [...meta.cc],
    bcc: [...meta.bcc],
    replyTo: [...meta.replyTo],
    subject: meta.subject,
    snippet: meta.snippet,
    inReplyTo: meta.inReplyTo,
    attachments: meta.attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, contentId: a.contentId, inline: a.inline })),
    sizeBytes: row.sizeBytes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (body) {
    dto.text = body.text;
    dto.html = body.html;
    dto.headers = { ...body.headers };
  }
  return dto;
}
