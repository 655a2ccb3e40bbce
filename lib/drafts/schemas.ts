// Drafts (SPEC §13): the request and response schemas. A draft takes the fields of a
// send, each optional while it is a draft (each is checked as a send's is when given:
// addresses, no CR/LF, allowed headers, base64 attachments), plus `inReplyTo`, a
// message of the same mailbox it answers. Sending validates the whole like a send.
import { z } from "zod";
import { HEADER_BREAK_RE } from "@/lib/outbound/addresses";
import { MAX_ATTACHMENTS, addressList, attachmentInput, customHeaders } from "@/lib/outbound/schemas";
import { attachmentDto } from "@/lib/messages/schemas";
import { paginationQuery } from "@/lib/pagination";

const subject = z
  .string()
  .max(998)
  .refine((v) => !HEADER_BREAK_RE.test(v), "must not contain CR, LF or NUL");

const inReplyTo = z.uuid().describe("The id of a message of this mailbox the draft answers: sending it replies in that message's thread");

const draftFields = {
  to: addressList.describe("One address or a list"),
  cc: addressList,
  bcc: addressList,
  replyTo: addressList,
  subject: subject.describe("Without it, a draft with inReplyTo is sent as \"Re: <the message's subject>\""),
  text: z.string(),
  html: z.string(),
  headers: customHeaders,
  attachments: z.array(attachmentInput).max(MAX_ATTACHMENTS).describe("Replaces all of the draft's attachments"),
  inReplyTo,
};

export const createDraftBody = z
  .object({
    to: draftFields.to.optional(),
    cc: draftFields.cc.optional(),
    bcc: draftFields.bcc.optional(),
    replyTo: draftFields.replyTo.optional(),
    subject: draftFields.subject.optional(),
    text: draftFields.text.optional(),
    html: draftFields.html.optional(),
    headers: draftFields.headers.optional(),
    attachments: draftFields.attachments.optional(),
    inReplyTo: draftFields.inReplyTo.optional(),
  })
  .strict();

/** A field given replaces the draft's; null clears it; a field left out stays as it is. */
export const updateDraftBody = z
  .object({
    to: draftFields.to.nullable().optional(),
    cc: draftFields.cc.nullable().optional(),
    bcc: draftFields.bcc.nullable().optional(),
    replyTo: draftFields.replyTo.nullable().optional(),
    subject: draftFields.subject.nullable().optional(),
    text: draftFields.text.nullable().optional(),
    html: draftFields.html.nullable().optional(),
    headers: draftFields.headers.nullable().optional(),
    attachments: draftFields.attachments.nullable().optional(),
    inReplyTo: draftFields.inReplyTo.nullable().optional(),
  })
  .strict();

export type CreateDraftBody = z.infer<typeof createDraftBody>;
export type UpdateDraftBody = z.infer<typeof updateDraftBody>;

export const listDraftsQuery = paginationQuery;

/** Sending takes nothing but the draft: an empty JSON object (like rotate-secret). */
export const sendDraftBody = z.object({}).strict().describe("An empty JSON object: the draft is sent as it is");

/** A draft's attachment reads like a message's. */
export const draftAttachmentDto = attachmentDto;

export const draftDto = z.object({
  id: z.string(),
  mailboxId: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  replyTo: z.array(z.string()),
  subject: z.string().nullable(),
  text: z.string().nullable().optional().describe("Present on a single draft, omitted in lists"),
  html: z.string().nullable().optional().describe("Present on a single draft, omitted in lists"),
  headers: z.record(z.string(), z.string()).optional().describe("Present on a single draft, omitted in lists"),
  snippet: z.string(),
  inReplyTo: z.string().nullable().describe("The id of the message this draft answers"),
  attachments: z.array(draftAttachmentDto),
  sizeBytes: z.number().int().describe("Size after base64, counted against the 25 MB limit of a send"),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type DraftDto = z.infer<typeof draftDto>;
