// POST …/drafts/{draftId}/send: the draft is validated like a send (SPEC §3) and goes
// through the normal send path (acceptOutbound: kill switch, Idempotency-Key, lists,
// suppression, limits and whatever else a send must pass), which deletes the draft
// in the transaction that writes the message: the draft becomes the message, or, on
// any refusal, nothing changes and the draft stays. A draft is sent once: a second
// send finds no draft (404); a draft changed while being sent is a 409 and stays.
import "server-only";
import { ZodError } from "zod";
import { ApiError } from "@/lib/errors";
import { loadDraftForSend } from "@/lib/drafts/manage-drafts";
import { base64Length } from "@/lib/drafts/draft-content";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import { openMessage } from "@/lib/messages/seal-message";
import { acceptOutbound, type Idempotency, type SendingMailbox, type SendVia } from "@/lib/outbound/accept-outbound";
import type { TxQuery } from "@/lib/outbound/commit-outbound";
import { isSafeMessageId, replyReferences, replySubject } from "@/lib/outbound/reply-message";
import { MAX_MESSAGE_BYTES, sendMessageBody, type SendMessageBody } from "@/lib/outbound/schemas";
import { sendContent } from "@/lib/outbound/send-message";

function notReady(err: ZodError): ApiError {
  const details = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; ");
  return new ApiError("validation_error", `The draft cannot be sent yet: ${summary}`, { details });
}

export async function sendDraft(input: { tenantId: string; mailbox: SendingMailbox; draftId: string; idempotency: Idempotency; via?: SendVia }) {
  const { tenantId, mailbox } = input;
  const scope = { tenantId, mailboxId: mailbox.id };
  let version = 0;
  return acceptOutbound({
    tenantId,
    mailbox,
    idempotency: input.idempotency,
    via: input.via,
    build: async (id) => {
      const draft = await loadDraftForSend(scope, input.draftId);
      version = draft.version;
      const original = draft.meta.inReplyTo ? await getMessageRowOrThrow({ ...scope, id: draft.meta.inReplyTo }) : null;
      const originalMeta = original ? openMessage(draft.cipher, original, { full: false }).meta : null;
      const candidate: Record<string, unknown> = {
        to: draft.meta.to,
        subject: draft.meta.subject ?? (originalMeta ? replySubject(originalMeta.subject) : undefined),
      };
      if (draft.meta.cc.length) candidate.cc = draft.meta.cc;
      if (draft.meta.bcc.length) candidate.bcc = draft.meta.bcc;
      if (draft.meta.replyTo.length) candidate.replyTo = draft.meta.replyTo;
      if (draft.body.text !== null) candidate.text = draft.body.text;
      if (draft.body.html !== null) candidate.html = draft.body.html;
      if (Object.keys(draft.body.headers).length) candidate.headers = draft.body.headers;
      const parsed = sendMessageBody.safeParse(candidate);
      if (!parsed.success) throw notReady(parsed.error);
      const body: SendMessageBody = parsed.data;

      let size = Buffer.byteLength(body.text ?? "") + Buffer.byteLength(body.html ?? "");
      for (const a of draft.attachments) size += base64Length(a.content.length);
      if (size > MAX_MESSAGE_BYTES) {
        throw new ApiError("payload_too_large", `The draft is ${size} bytes after base64; at most ${MAX_MESSAGE_BYTES} are accepted`);
      }

      const content = sendContent(mailbox, body, id);
      content.attachments = draft.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, contentId: a.contentId, inline: a.inline }));
      if (original && originalMeta) {
        content.inReplyTo = isSafeMessageId(originalMeta.messageId) ? originalMeta.messageId : null;
        content.references = replyReferences(originalMeta);
      }
      return { content, threadId: original?.threadId ?? null };
    },
    inTransaction: async (query: TxQuery) => {
      // The draft becomes this message: delete exactly the version that was read.
      const deleted = await query(`DELETE FROM "Draft" WHERE id = $1 AND "tenantId" = $2 AND "mailboxId" = $3 AND version = $4 RETURNING id`, [
        input.draftId,
        tenantId,
        mailbox.id,
        version,
      ]);
      if (deleted.length === 1) return;
      const still = await query(`SELECT 1 FROM "Draft" WHERE id = $1 AND "tenantId" = $2 AND "mailboxId" = $3`, [input.draftId, tenantId, mailbox.id]);
      if (still.length === 0) throw new ApiError("not_found", "Draft not found (it was sent or deleted meanwhile)");
      throw new ApiError("conflict", "The draft was changed while it was being sent; nothing was sent, read it again and retry");
    },
  });
}
