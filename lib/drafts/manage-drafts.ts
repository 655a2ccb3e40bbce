// Drafts of a mailbox (SPEC §13): create, list, get, update, delete. Every query has
// the tenant and the mailbox in its where, so another mailbox's draft is a 404 like
// one that does not exist. Content is sealed before a transaction opens (reserving
// encryptions may write), and a draft with its attachments is written in one
// transaction: a refused request leaves nothing half-written.
import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid, uuidv7 } from "@/lib/ids";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import { decodeCursor, toPage } from "@/lib/pagination";
import { MAX_MESSAGE_BYTES, MAX_RECIPIENTS } from "@/lib/outbound/schemas";
import {
  DRAFT_FIELD,
  draftSizeBytes,
  draftSnippet,
  openDraftBody,
  openDraftMeta,
  toDraftDto,
  type DraftAttachmentMeta,
  type DraftAttachmentSummary,
  type DraftBody,
  type DraftMeta,
} from "@/lib/drafts/draft-content";
import type { CreateDraftBody, DraftDto, UpdateDraftBody } from "@/lib/drafts/schemas";

type Scope = { tenantId: string; mailboxId: string };

// Drafts are written rarely; a 25 MB one takes a moment.
const DRAFT_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

/** A new attachment, sealed, with its row id. */
type SealedDraftAttachment = DraftAttachmentSummary & { metaCipher: Uint8Array<ArrayBuffer>; dataCipher: Uint8Array<ArrayBuffer> };

type DraftState = { meta: Omit<DraftMeta, "snippet" | "attachments">; body: DraftBody };

function assertDraftLimits(state: DraftState, attachments: { size: number }[]): number {
  const recipients = state.meta.to.length + state.meta.cc.length + state.meta.bcc.length;
  if (recipients > MAX_RECIPIENTS) {
    throw new ApiError("validation_error", `At most ${MAX_RECIPIENTS} recipients in to, cc and bcc together (got ${recipients})`, {
      details: [{ path: "to", message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc together` }],
    });
  }
  const size = draftSizeBytes(state.body, attachments);
  if (size > MAX_MESSAGE_BYTES) {
    throw new ApiError("payload_too_large", `The draft is ${size} bytes after base64; at most ${MAX_MESSAGE_BYTES} are accepted, as for a send`);
  }
  return size;
}

/** The message a draft answers must be a message of the same mailbox (404 otherwise, like reply). */
async function assertRepliesToOwnMessage(scope: Scope, inReplyTo: string | null) {
  if (inReplyTo) await getMessageRowOrThrow({ ...scope, id: inReplyTo });
}

async function sealAttachments(cipher: MailboxCipher, input: NonNullable<CreateDraftBody["attachments"]>): Promise<SealedDraftAttachment[]> {
  return Promise.all(
    input.map(async (a) => {
      const id = uuidv7();
      const data = a.content.bytes;
      const meta: DraftAttachmentMeta = { filename: a.filename, contentType: a.contentType, contentId: a.contentId ?? null, inline: a.contentId !== undefined };
      const metaCipher = new Uint8Array(cipher.encryptJson(id, DRAFT_FIELD.attachmentMeta, meta));
      // A view, not a copy: attachment data can be 25 MB.
      const sealed = await cipher.encryptLarge(id, DRAFT_FIELD.attachmentData, data);
      return { id, ...meta, size: data.length, metaCipher, dataCipher: new Uint8Array(sealed.buffer as ArrayBuffer, sealed.byteOffset, sealed.byteLength) };
    }),
  );
}

function sealDraft(cipher: MailboxCipher, id: string, state: DraftState, attachments: DraftAttachmentSummary[]) {
  const meta: DraftMeta = {
    ...state.meta,
    snippet: draftSnippet(state.body),
    attachments: attachments.map(({ id: aid, filename, contentType, size, contentId, inline }) => ({ id: aid, filename, contentType, size, contentId, inline })),
  };
  return {
    meta,
    metaCipher: new Uint8Array(cipher.encryptJson(id, DRAFT_FIELD.meta, meta)),
    bodyCipher: new Uint8Array(cipher.encryptJson(id, DRAFT_FIELD.body, state.body)),
  };
}

function attachmentRows(scope: Scope, draftId: string, attachments: SealedDraftAttachment[]) {
  return attachments.map((a, position) => ({ id: a.id, ...scope, draftId, metaCipher: a.metaCipher, dataCipher: a.dataCipher, size: a.size, position }));
}

// POST …/drafts
export async function createDraft(input: Scope & { body: CreateDraftBody }): Promise<DraftDto> {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const b = input.body;
  const state: DraftState = {
    meta: { to: b.to ?? [], cc: b.cc ?? [], bcc: b.bcc ?? [], replyTo: b.replyTo ?? [], subject: b.subject ?? null, inReplyTo: b.inReplyTo ?? null },
    body: { text: b.text ?? null, html: b.html ?? null, headers: b.headers ?? {} },
  };
  const incoming = (b.attachments ?? []).map((a) => ({ size: a.content.bytes.length }));
  assertDraftLimits(state, incoming);
  await assertRepliesToOwnMessage(scope, state.meta.inReplyTo);

  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  await cipher.reserve(2 + 2 * (b.attachments?.length ?? 0));
  const id = uuidv7();
  const attachments = await sealAttachments(cipher, b.attachments ?? []);
  const sealed = sealDraft(cipher, id, state, attachments);
  const now = new Date();
  const row = { id, ...scope, metaCipher: sealed.metaCipher, bodyCipher: sealed.bodyCipher, sizeBytes: draftSizeBytes(state.body, attachments), version: 1, createdAt: now, updatedAt: now };
  await getDb().$transaction(async (tx) => {
    await tx.draft.create({ data: row });
    if (attachments.length) await tx.draftAttachment.createMany({ data: attachmentRows(scope, id, attachments) });
  }, DRAFT_TRANSACTION);
  return toDraftDto(row, sealed.meta, state.body);
}

async function getDraftRowOrThrow(scope: Scope, id: string) {
  if (!isUuid(id)) throw new ApiError("not_found", "Draft not found");
  const row = await getDb().draft.findFirst({ where: { id, ...scope } });
  if (!row) throw new ApiError("not_found", "Draft not found");
  return row;
}

// GET …/drafts/{draftId}
export async function getDraft(input: Scope & { id: string }): Promise<DraftDto> {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const row = await getDraftRowOrThrow(scope, input.id);
  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  return toDraftDto(row, openDraftMeta(cipher, row), openDraftBody(cipher, row));
}

// GET …/drafts – newest first, without text, html and headers
export async function listDrafts(input: Scope & { limit: number; cursor?: string }) {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const before = decodeCursor(input.cursor);
  const rows = await getDb().draft.findMany({
    where: { ...scope, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    omit: { bodyCipher: true },
  });
  const page = toPage(rows, input.limit);
  if (page.data.length === 0) return { data: [], nextCursor: null };
  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  return { data: page.data.map((row) => toDraftDto(row, openDraftMeta(cipher, row), null)), nextCursor: page.nextCursor };
}

/** The draft changed (or was sent) between our read and our write. */
async function missingOrChanged(scope: Scope, id: string): Promise<never> {
  const exists = await getDb().draft.findFirst({ where: { id, ...scope }, select: { id: true } });
  if (!exists) throw new ApiError("not_found", "Draft not found");
  throw new ApiError("conflict", "The draft was changed by another request meanwhile; read it again and retry");
}

// PATCH …/drafts/{draftId} – a field given replaces the draft's, null clears it
export async function updateDraft(input: Scope & { id: string; changes: UpdateDraftBody }): Promise<DraftDto> {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  const row = await getDraftRowOrThrow(scope, input.id);
  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  const oldMeta = openDraftMeta(cipher, row);
  const oldBody = openDraftBody(cipher, row);
  const c = input.changes;
  const pick = <T>(given: T | null | undefined, old: T, empty: T): T => (given === undefined ? old : given === null ? empty : given);
  const state: DraftState = {
    meta: {
      to: pick(c.to, oldMeta.to, []),
      cc: pick(c.cc, oldMeta.cc, []),
      bcc: pick(c.bcc, oldMeta.bcc, []),
      replyTo: pick(c.replyTo, oldMeta.replyTo, []),
      subject: pick(c.subject, oldMeta.subject, null),
      inReplyTo: pick(c.inReplyTo, oldMeta.inReplyTo, null),
    },
    body: { text: pick(c.text, oldBody.text, null), html: pick(c.html, oldBody.html, null), headers: pick(c.headers, oldBody.headers, {}) },
  };
  const replacing = c.attachments !== undefined;
  const newInput = c.attachments ?? [];
  assertDraftLimits(state, replacing ? newInput.map((a) => ({ size: a.content.bytes.length })) : oldMeta.attachments);
  if (c.inReplyTo) await assertRepliesToOwnMessage(scope, c.inReplyTo);

  await cipher.reserve(2 + 2 * newInput.length);
  const sealedAttachments = replacing ? await sealAttachments(cipher, newInput) : [];
  const attachments: DraftAttachmentSummary[] = replacing ? sealedAttachments : oldMeta.attachments;
  const sealed = sealDraft(cipher, row.id, state, attachments);
  const sizeBytes = draftSizeBytes(state.body, attachments);
  const updated = await getDb().$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.draft.updateMany({
      where: { id: row.id, ...scope, version: row.version },
      data: { metaCipher: sealed.metaCipher, bodyCipher: sealed.bodyCipher, sizeBytes, version: row.version + 1, updatedAt: now },
    });
    if (count === 0) return null;
    if (replacing) {
      await tx.draftAttachment.deleteMany({ where: { ...scope, draftId: row.id } });
      if (sealedAttachments.length) await tx.draftAttachment.createMany({ data: attachmentRows(scope, row.id, sealedAttachments) });
    }
    return { ...row, sizeBytes, version: row.version + 1, updatedAt: now };
  }, DRAFT_TRANSACTION);
  if (!updated) return missingOrChanged(scope, row.id);
  return toDraftDto(updated, sealed.meta, state.body);
}

// DELETE …/drafts/{draftId}
export async function deleteDraft(input: Scope & { id: string }): Promise<{ id: string; deleted: true }> {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  if (!isUuid(input.id)) throw new ApiError("not_found", "Draft not found");
  // The attachments go with it (ON DELETE CASCADE).
  const { count } = await getDb().draft.deleteMany({ where: { id: input.id, ...scope } });
  if (count === 0) throw new ApiError("not_found", "Draft not found");
  return { id: input.id, deleted: true };
}

/** Everything a send needs: the decrypted draft with its attachments' bytes, in order, and the version read. */
export async function loadDraftForSend(scope: Scope, id: string) {
  const row = await getDraftRowOrThrow(scope, id);
  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  const rows = await getDb().draftAttachment.findMany({ where: { ...scope, draftId: row.id }, orderBy: { position: "asc" } });
  const attachments = rows.map((a) => {
    const meta = cipher.decryptJson<DraftAttachmentMeta>(a.id, DRAFT_FIELD.attachmentMeta, a.metaCipher);
    return { ...meta, content: cipher.decrypt(a.id, DRAFT_FIELD.attachmentData, a.dataCipher) };
  });
  return { id: row.id, version: row.version, meta: openDraftMeta(cipher, row), body: openDraftBody(cipher, row), attachments, cipher };
}
