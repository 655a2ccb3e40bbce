// Delivers one queued outbound message (an "outbound.deliver" job): decrypts it,
// calls its provider with an idempotency key derived from the message id, and
// records the attempt, the message status and the job state in one transaction.
// Retryable failures (429, 5xx, timeouts) back off exponentially with jitter up to
// the job's maxAttempts (8); a permanent refusal fails the message at once.
import "server-only";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { getDb, type Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { completeJob, failJob, retryDelayMs, retryJob, type JobRow } from "@/lib/jobs/claim-jobs";
import { loadOutboundContent } from "@/lib/outbound/load-outbound-content";
import { getProvider } from "@/lib/outbound/providers/get-provider";
import { providerIdempotencyKey, type ProviderResult } from "@/lib/outbound/providers/types";

export const DELIVER_JOB = "outbound.deliver";

export type DeliveryOptions = {
  backoffBaseMs: number;
  providerTimeoutMs: number;
  /** Test hook: runs after the provider answered and before anything is saved (a crash there). */
  afterProviderCall?: (result: ProviderResult) => void | Promise<void>;
};

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { backoffBaseMs: 5_000, providerTimeoutMs: 30_000 };

export async function deliverMessageJob(job: JobRow, options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS): Promise<void> {
  const db = getDb();
  if (!job.tenantId || !job.mailboxId || !job.messageId) {
    await db.$transaction((tx) => failJob(tx, job.id, "job without tenant, mailbox or message"));
    return;
  }
  const scope = { tenantId: job.tenantId, mailboxId: job.mailboxId };
  const message = await db.message.findFirst({
    where: { ...scope, id: job.messageId },
    select: { id: true, status: true, provider: true, threadId: true },
  });
  // Deleted meanwhile, or already delivered by an earlier attempt whose job update was lost.
  if (!message || message.status !== "queued") {
    await db.$transaction((tx) => completeJob(tx, job.id));
    return;
  }
  const content = await loadOutboundContent({ ...scope, messageId: message.id });
  if (!content) {
    await db.$transaction((tx) => completeJob(tx, job.id));
    return;
  }

  const provider = getProvider(message.provider);
  const started = Date.now();
  const result = await provider.send(
    { messageId: message.id, ...scope, content },
    { idempotencyKey: providerIdempotencyKey(message.id), timeoutMs: options.providerTimeoutMs },
  );
  const durationMs = Date.now() - started;
  await options.afterProviderCall?.(result);

  const lastAttempt = job.attempts >= job.maxAttempts;
  await db.$transaction(async (tx) => {
    const attempt = {
      id: uuidv7(),
      tenantId: scope.tenantId,
      jobId: job.id,
      messageId: message.id,
      attempt: job.attempts,
      durationMs,
    };
    if (result.ok) {
      await tx.deliveryAttempt.create({ data: { ...attempt, outcome: "sent", httpStatus: 200 } });
      // A delivery event may have found the message first (by its tag) and moved it on.
      const before = await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM "Message" WHERE id = ${message.id} AND "tenantId" = ${scope.tenantId} FOR UPDATE`;
      await tx.$executeRaw`
        UPDATE "Message" SET "providerMessageId" = coalesce("providerMessageId", ${result.providerMessageId}),
          "sentAt" = coalesce("sentAt", now()), "statusReason" = NULL, "updatedAt" = now(),
          status = CASE WHEN status = 'queued' THEN 'sent'::"MessageStatus" ELSE status END
        WHERE id = ${message.id} AND "tenantId" = ${scope.tenantId}`;
      if (before[0]?.status === "queued") {
        await recordEvent(tx, {
          ...scope,
          type: "message.sent",
          data: { ...messageEventData({ ...message, direction: "outbound", status: "sent" }), recipientCount: recipientCount(content) },
        });
      }
      await completeJob(tx, job.id);
      return;
    }
    const giveUp = !result.retryable || lastAttempt;
    await tx.deliveryAttempt.create({
      data: { ...attempt, outcome: giveUp ? "failed" : "retry", httpStatus: result.httpStatus, error: redactAddresses(result.message) },
    });
    if (giveUp) {
      const reason = result.retryable ? `Gave up after ${job.attempts} attempts: ${result.message}` : result.message;
      await markFailed(tx, { ...scope, messageId: message.id, threadId: message.threadId }, reason);
      await failJob(tx, job.id, reason);
    } else {
      await retryJob(tx, job.id, result.message, retryDelayMs(job.attempts, options.backoffBaseMs));
    }
  });
}

function recipientCount(content: { to: unknown[]; cc: unknown[]; bcc: unknown[] }): number {
  return content.to.length + content.cc.length + content.bcc.length;
}

async function markFailed(tx: Tx, message: { tenantId: string; mailboxId: string; messageId: string; threadId?: string }, reason: string) {
  const rows = await tx.$queryRaw<{ threadId: string }[]>`
    UPDATE "Message" SET status = 'failed', "statusReason" = ${redactAddresses(reason).slice(0, 1000)}, "updatedAt" = now()
    WHERE id = ${message.messageId} AND "tenantId" = ${message.tenantId} AND status = 'queued' RETURNING "threadId"`;
  if (rows.length === 0) return;
  await recordEvent(tx, {
    tenantId: message.tenantId,
    mailboxId: message.mailboxId,
    type: "message.failed",
    data: messageEventData({ id: message.messageId, threadId: rows[0].threadId, direction: "outbound", status: "failed" }),
  });
}

/** When the handler itself kept failing (database down, corrupt row): the message fails with the reason. */
export async function giveUpDelivery(job: JobRow, error: string): Promise<void> {
  await getDb().$transaction(async (tx) => {
    if (job.tenantId && job.mailboxId && job.messageId) {
      await markFailed(tx, { tenantId: job.tenantId, mailboxId: job.mailboxId, messageId: job.messageId }, `Delivery failed: ${error}`);
    }
    await failJob(tx, job.id, error);
  });
}
