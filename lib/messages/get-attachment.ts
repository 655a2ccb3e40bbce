import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openAttachment } from "@/lib/messages/seal-message";

/** An attachment's decrypted bytes and metadata; 404 unless it belongs to this message of this mailbox. */
export async function getAttachment(input: { tenantId: string; mailboxId: string; messageId: string; id: string }) {
  const { tenantId, mailboxId, messageId, id } = input;
  if (!isUuid(id) || !isUuid(messageId)) throw new ApiError("not_found", "Attachment not found");
  const row = await getDb().attachment.findFirst({ where: { id, messageId, tenantId, mailboxId } });
  if (!row) throw new ApiError("not_found", "Attachment not found");
  const cipher = await getMailboxCipher(tenantId, mailboxId);
  const { meta, data } = openAttachment(cipher, row);
  return { filename: meta.filename, contentType: meta.contentType, data };
}

const SAFE_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** A declared type we can echo safely, else application/octet-stream (it came from the sender). */
export function safeContentType(declared: string): string {
  const type = declared.split(";")[0].trim().toLowerCase();
  return SAFE_TYPE.test(type) ? type : "application/octet-stream";
}

/** RFC 6266 / RFC 5987: an ASCII fallback plus the UTF-8 filename*. */
export function contentDisposition(filename: string): string {
  const name = filename.replace(/[\u0000-\u001f\u007f]/g, "").trim() || "attachment";
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function attachmentResponse(attachment: { filename: string; contentType: string; data: Buffer }): Response {
  return new Response(new Uint8Array(attachment.data), {
    status: 200,
    headers: {
      "Content-Type": safeContentType(attachment.contentType),
      "Content-Length": String(attachment.data.length),
      "Content-Disposition": contentDisposition(attachment.filename),
      "X-Content-Type-Options": "nosniff",
      // Sender-controlled bytes: never let a browser run them in our origin.
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
