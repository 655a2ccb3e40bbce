// Resend inbound (SPEC §5): email.received carries metadata only. The webhook commits
// its receipt and an "inbound.resend-fetch" job in one transaction and answers at
// once, whatever the message size; the job worker then fetches the content, headers
// and attachments with the official SDK (received-email and received-attachment
// endpoints, attachment bytes from their signed download URLs) and hands the message
// to the one ingest path. A fetch that fails is retried with backoff; after the last
// attempt, or at once for a refusal that no retry can change (4xx), the job ends
// failed with its reason: visible, never silently lost.
import "server-only";
import { addressParser } from "postal-mime";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { completeJob, enqueueJob, failJob, type JobRow } from "@/lib/jobs/claim-jobs";
import { ingestMessage } from "@/lib/inbound/ingest-message";
import { MIME_LIMITS, messageIds } from "@/lib/inbound/parse-email";
import { recordWebhookReceipt } from "@/lib/inbound/webhook-receipts";
import type { AttachmentInput, MessageContent, Participant } from "@/lib/messages/message-content";
import { applyResendEvent } from "@/lib/outbound/apply-delivery-event";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";
import { resendClient } from "@/lib/outbound/resend-client";
import type { ResendEvent } from "@/lib/outbound/resend-webhook";
import { MAX_MESSAGE_BYTES } from "@/lib/outbound/schemas";

export const RESEND_FETCH_JOB = "inbound.resend-fetch";

const DOWNLOAD_TIMEOUT_MS = 30_000;
const MAX_HEADERS = 1000;

type FetchPayload = { emailId: string; receivedFor: string[] };

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.length <= 320).slice(0, 100) : [];

/** email.received: records the webhook id and queues the fetch, in one transaction. */
export async function acceptReceivedEmail(input: { webhookId: string; event: ResendEvent }): Promise<{ duplicate: boolean }> {
  const data = input.event.data ?? {};
  const emailId = data.email_id;
  if (typeof emailId !== "string" || emailId.length === 0 || emailId.length > 200) {
    throw new ApiError("validation_error", "email.received without a valid data.email_id", { details: [{ path: "data.email_id", message: "required" }] });
  }
  const payload: FetchPayload = { emailId, receivedFor: stringList(data.received_for) };
  return getDb().$transaction(async (tx) => {
    if (!(await recordWebhookReceipt(tx, { source: "resend", webhookId: input.webhookId }, null))) return { duplicate: true };
    await enqueueJob(tx, { id: uuidv7(), tenantId: null, kind: RESEND_FETCH_JOB, payload });
    return { duplicate: false };
  });
}

/** One verified Resend event: email.received is fetched by the worker, every other type is a delivery event. */
export async function handleResendEvent(input: { webhookId: string; event: ResendEvent }): Promise<Record<string, unknown>> {
  if (input.event.type !== "email.received") return applyResendEvent(input);
  const outcome = await acceptReceivedEmail(input);
  if (!outcome.duplicate) kickOutboxWorker();
  return outcome;
}

/** A failure no retry can change: the job fails now with this reason. */
class PermanentFetchError extends Error {}

type SdkError = { statusCode?: number | null; name?: string; message?: string } | null;

function fetchFailure(what: string, error: NonNullable<SdkError>): Error {
  const status = error.statusCode ?? null;
  const text = `${what}: ${status ?? "no response"} ${error.name ?? ""} ${error.message ?? ""}`.trim();
  const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return permanent ? new PermanentFetchError(text) : new Error(text);
}

function participants(values: (string | null | undefined)[] | null | undefined): Participant[] {
  const out: Participant[] = [];
  for (const value of values ?? []) {
    if (typeof value !== "string" || value.length > 2000) continue;
    for (const a of addressParser(value)) {
      if (a.group) for (const m of a.group) out.push({ address: m.address ?? "", name: m.name || null });
      else out.push({ address: a.address ?? "", name: a.name || null });
    }
  }
  return out.filter((p) => p.address);
}

async function download(url: string, budget: { left: number }): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!res.ok || !res.body) throw fetchFailure("attachment download", { statusCode: res.status, message: res.statusText });
  const chunks: Uint8Array[] = [];
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.left -= value.byteLength;
    if (budget.left < 0) {
      await reader.cancel().catch(() => {});
      throw new PermanentFetchError(`the message is larger than ${MAX_MESSAGE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const bracketed = (id: string | null | undefined) => (id ? (id.startsWith("<") ? id : `<${id}>`) : null);

/** Fetches one received email with the SDK and turns it into MessageContent. */
export async function fetchReceivedContent(emailId: string): Promise<MessageContent> {
  const client = resendClient();
  // cid: keeps inline images as references to their attachments (as the raw message has them).
  const got = await client.emails.receiving.get(emailId, { html_format: "cid" });
  if (got.error || !got.data) throw fetchFailure("received email", got.error ?? { message: "empty answer" });
  const email = got.data;
  const headers = Object.entries(email.headers ?? {})
    .slice(0, MAX_HEADERS)
    .map(([name, value]) => [name, String(value)] as [string, string]);
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

  const budget = { left: MAX_MESSAGE_BYTES };
  const attachments: AttachmentInput[] = [];
  for (const [i, meta] of (email.attachments ?? []).slice(0, MIME_LIMITS.maxParts).entries()) {
    const one = await client.emails.receiving.attachments.get({ emailId, id: meta.id });
    if (one.error || !one.data) throw fetchFailure("received attachment", one.error ?? { message: "empty answer" });
    attachments.push({
      filename: one.data.filename || meta.filename || `attachment-${i + 1}`,
      contentType: one.data.content_type || meta.content_type || "application/octet-stream",
      content: await download(one.data.download_url, budget),
      contentId: bracketed(one.data.content_id ?? meta.content_id),
      inline: (one.data.content_disposition ?? meta.content_disposition) === "inline",
    });
  }
  return {
    from: participants([email.from])[0] ?? { address: "", name: null },
    to: participants(email.to),
    cc: participants(email.cc),
    bcc: [],
    replyTo: participants(email.reply_to),
    subject: email.subject ?? "",
    text: email.text ?? null,
    html: email.html ?? null,
    headers,
    messageId: messageIds(email.message_id ?? undefined)[0] ?? `<${emailId}@resend.inbound>`,
    inReplyTo: messageIds(header("in-reply-to"))[0] ?? null,
    references: messageIds(header("references")).slice(-100),
    attachments,
  };
}

/** The job: fetch, then ingest (exactly once per Resend email id), then done. */
export async function fetchReceivedEmailJob(job: JobRow): Promise<void> {
  const { emailId, receivedFor } = job.payload as FetchPayload;
  let content: MessageContent;
  try {
    content = await fetchReceivedContent(emailId);
  } catch (err) {
    if (err instanceof PermanentFetchError) {
      await getDb().$transaction((tx) => failJob(tx, job.id, err.message));
      return;
    }
    throw err;
  }
  await ingestMessage({
    receipt: { source: "resend-email", webhookId: emailId },
    content,
    envelopeRecipients: receivedFor,
    countUnknown: true,
  });
  await getDb().$transaction((tx) => completeJob(tx, job.id));
}

/** After the last attempt: the job fails with the last reason. */
export async function giveUpFetch(job: JobRow, error: string): Promise<void> {
  await getDb().$transaction((tx) => failJob(tx, job.id, `Gave up after ${job.attempts} attempts: ${error}`));
}
