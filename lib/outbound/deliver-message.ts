// Delivers one queued outbound message (an "outbound.deliver" job): loads its row
// once, re-checks that the mailbox is still active and no recipient was suppressed or
// refused by the send allow/block lists since the send was accepted, waits for the provider's shared call slot, calls the
// provider with an idempotency key derived from the message id, and records the
// attempt, the message status and the job state in one transaction.
// Retryable failures (429, 5xx, timeouts) are retried on a schedule that spans over
// two hours (a provider outage of an hour loses nothing), honouring Retry-After; a
// permanent refusal fails the message at once; a refused API key pauses the outbox
// (messages stay queued) until a later call goes through.
import "server-only";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { getDb, type Tx } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getEnv } from "@/lib/env";
import { PAUSED_RECHECK_MS, SENDING_PAUSED_REASON } from "@/lib/guardrails/sending-switch";
import { uuidv7 } from "@/lib/ids";
import { disallowedAddresses } from "@/lib/guardrails/lists";
import { completeJob, deferJob, failJob, retryJob, type JobRow } from "@/lib/jobs/claim-jobs";
import { openMessage } from "@/lib/messages/seal-message";
import { openOutboundContent } from "@/lib/outbound/load-outbound-content";
import { countDelivery } from "@/lib/observability/metrics";
import { getProvider } from "@/lib/outbound/providers/get-provider";
import { providerIdempotencyKey, type MailProvider, type ProviderResult } from "@/lib/outbound/providers/types";
import { holdProvider, pauseProvider, reserveProviderSlot, resumeProvider } from "@/lib/outbound/provider-state";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

export const DELIVER_JOB = "outbound.deliver";

export type DeliveryOptions = {
  /** The first retry's delay; later ones follow RETRY_STEPS. */
  backoffBaseMs: number;
  providerTimeoutMs: number;
  /** Resend calls per second across every worker (default RESEND_REQUESTS_PER_SECOND). */
  providerCallsPerSecond?: number;
  /** A call slot further away than this puts the job aside instead of holding a worker slot. */
  maxSlotWaitMs: number;
  /** While the provider refuses our API key, one call per this interval checks whether it was fixed. */
  pauseProbeMs: number;
  /** Test hook: runs after the provider answered and before anything is saved (a crash there). */
  afterProviderCall?: (result: ProviderResult) => void | Promise<void>;
};

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  backoffBaseMs: 30_000,
  providerTimeoutMs: 30_000,
  maxSlotWaitMs: 2_000,
  pauseProbeMs: 60_000,
};

/** Multiples of the base after attempts 1…7: 30 s, 2, 5, 10, 20, 40, 60 min with the default base (2 h 17 min in all). */
export const RETRY_STEPS = [1, 4, 10, 20, 40, 80, 120] as const;

/** The delay after a failed attempt (1-based), ±10 % jitter so many messages do not retry in step. */
export function deliveryRetryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const step = RETRY_STEPS[Math.min(Math.max(attempt, 1), RETRY_STEPS.length) - 1];
  return Math.round(baseMs * step * (0.9 + 0.2 * random()));
}

type Scope = { tenantId: string; mailboxId: string };

const PACED_PROVIDERS: ReadonlySet<MailProvider["name"]> = new Set(["resend"]);

export async function deliverMessageJob(job: JobRow, given: Partial<DeliveryOptions> = {}): Promise<void> {
  const options: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, ...given };
  const db = getDb();
  if (!job.tenantId || !job.mailboxId || !job.messageId) {
    await db.$transaction((tx) => failJob(tx, job.id, "job without tenant, mailbox or message"));
    return;
  }
  const scope: Scope = { tenantId: job.tenantId, mailboxId: job.mailboxId };
  // The message row is read once per attempt; attachments are read after the checks below.
  const [message, mailbox, tenant] = await Promise.all([
    db.message.findFirst({
      where: { ...scope, id: job.messageId, direction: "outbound" },
      select: { id: true, status: true, provider: true, threadId: true, metaCipher: true, bodyCipher: true, attachmentCount: true },
    }),
    db.mailbox.findFirst({ where: { tenantId: scope.tenantId, id: scope.mailboxId }, select: { status: true } }),
    db.tenant.findUnique({ where: { id: scope.tenantId }, select: { sendingPausedAt: true } }),
  ]);
  // Deleted meanwhile, or already delivered by an earlier attempt whose job update was lost.
  if (!message || message.status !== "queued") {
    await db.$transaction((tx) => completeJob(tx, job.id));
    return;
  }
  // The tenant's kill switch: the message waits, queued, without spending an attempt (resume brings it forward).
  if (tenant?.sendingPausedAt) {
    await deferJob(null, job.id, PAUSED_RECHECK_MS, SENDING_PAUSED_REASON);
    return;
  }
  const ref = { ...scope, messageId: message.id, threadId: message.threadId };
  const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
  const { meta } = openMessage(cipher, message, { full: false });

  // What changed since the send was accepted: a suspended mailbox, a suppressed recipient
  // or one the send allow/block lists (the mailbox's or the tenant's) refuse now stops it.
  const refusal =
    mailbox?.status !== "active"
      ? `The mailbox was ${mailbox?.status ?? "deleted"} before delivery; the message was not sent`
      : ((await suppressedSince(cipher, scope, meta)) ?? (await notAllowedSince(cipher, scope, meta)));
  if (refusal) {
    await db.$transaction(async (tx) => {
      await tx.deliveryAttempt.create({
        data: { id: uuidv7(), tenantId: scope.tenantId, jobId: job.id, messageId: message.id, attempt: job.attempts, outcome: "failed", error: redactAddresses(refusal), durationMs: 0 },
      });
      await markFailed(tx, ref, refusal);
      await failJob(tx, job.id, refusal);
    });
    return;
  }

  const provider = getProvider(message.provider);
  if (PACED_PROVIDERS.has(provider.name)) {
    const rate = options.providerCallsPerSecond ?? getEnv().RESEND_REQUESTS_PER_SECOND;
    const slot = await reserveProviderSlot(provider.name, { intervalMs: 1000 / rate, maxWaitMs: options.maxSlotWaitMs });
    if ("deferMs" in slot) {
      // Held back (a 429's Retry-After, or a pause): nothing was tried, so the attempt does not count.
      await deferJob(null, job.id, Math.max(slot.deferMs, 1));
      return;
    }
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
  }

  const content = await openOutboundContent(cipher, scope, message);
  const started = Date.now();
  const result = await provider.send(
    { messageId: message.id, ...scope, content },
    { idempotencyKey: providerIdempotencyKey(message.id), timeoutMs: options.providerTimeoutMs },
  );
  const durationMs = Date.now() - started;
  await options.afterProviderCall?.(result);

  const attempt = { id: uuidv7(), tenantId: scope.tenantId, jobId: job.id, messageId: message.id, attempt: job.attempts, durationMs };
  if (result.ok) {
    await db.$transaction(async (tx) => {
      await tx.deliveryAttempt.create({ data: { ...attempt, outcome: "sent", httpStatus: 200 } });
      await markSent(tx, ref, result.providerMessageId, content.to.length + content.cc.length + content.bcc.length);
      await completeJob(tx, job.id);
    });
    await resumeProvider(provider.name);
    countDelivery("sent");
    return;
  }
  if (result.credentialsRejected) {
    // Every due message would fail the same way: pause instead, keep them queued, show the operator why.
    await pauseProvider(provider.name, `${provider.name} refused the API key (${result.httpStatus ?? "not configured"}): ${result.message}`, options.pauseProbeMs);
    await db.$transaction(async (tx) => {
      await tx.deliveryAttempt.create({ data: { ...attempt, outcome: "paused", httpStatus: result.httpStatus, error: redactAddresses(result.message) } });
      await deferJob(tx, job.id, options.pauseProbeMs, result.message);
    });
    countDelivery("paused");
    return;
  }
  if (result.retryAfterMs !== undefined) await holdProvider(provider.name, result.retryAfterMs);

  const giveUp = !result.retryable || job.attempts >= job.maxAttempts;
  await db.$transaction(async (tx) => {
    await tx.deliveryAttempt.create({
      data: { ...attempt, outcome: giveUp ? "failed" : "retry", httpStatus: result.httpStatus, error: redactAddresses(result.message) },
    });
    if (giveUp) {
      const reason = result.retryable ? `Gave up after ${job.attempts} attempts: ${result.message}` : result.message;
      await markFailed(tx, ref, reason);
      await failJob(tx, job.id, reason);
    } else {
      const delay = Math.max(deliveryRetryDelayMs(job.attempts, options.backoffBaseMs), result.retryAfterMs ?? 0);
      await retryJob(tx, job.id, result.message, delay);
    }
  });
  countDelivery(giveUp ? "failed" : "retry");
}

/** The first recipient suppressed for this mailbox since the send was accepted, as a failure reason. */
async function suppressedSince(
  cipher: Awaited<ReturnType<typeof getMailboxCipher>>,
  scope: Scope,
  meta: { to: { address: string }[]; cc: { address: string }[]; bcc: { address: string }[] },
): Promise<string | null> {
  const hashes = [...meta.to, ...meta.cc, ...meta.bcc].map((p) => suppressionHash(cipher, p.address));
  const hit = await getDb().suppression.findFirst({
    where: { ...scope, addressHash: { in: hashes } },
    select: { reason: true },
  });
  return hit ? `A recipient was suppressed (${hit.reason}) after the message was accepted; the message was not sent` : null;
}

/** A recipient the send lists refuse since the send was accepted (an entry added while it was queued), as a failure reason. */
async function notAllowedSince(
  cipher: Awaited<ReturnType<typeof getMailboxCipher>>,
  scope: Scope,
  meta: { to: { address: string }[]; cc: { address: string }[]; bcc: { address: string }[] },
): Promise<string | null> {
  const refused = await disallowedAddresses(cipher, scope, "send", [...meta.to, ...meta.cc, ...meta.bcc].map((p) => p.address));
  if (refused.length === 0) return null;
  return `recipient_not_allowed: ${refused.length} recipient(s) became not allowed by the mailbox's or the tenant's send allow/block lists after the message was accepted; the message was not sent`;
}

/**
 * The provider took the message. A status a delivery event already moved on stays;
 * a message we had given up on (failed, e.g. after timeouts the provider did not
 * lose) becomes sent: late truth wins. A reason written meanwhile (a bounce) is kept.
 */
async function markSent(tx: Tx, message: Scope & { messageId: string; threadId: string }, providerMessageId: string, recipientCount: number) {
  const before = await tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM "Message" WHERE id = ${message.messageId} AND "tenantId" = ${message.tenantId} FOR UPDATE`;
  const moves = before[0]?.status === "queued" || before[0]?.status === "failed";
  await tx.$executeRaw`
    UPDATE "Message" SET "providerMessageId" = coalesce("providerMessageId", ${providerMessageId}),
      "sentAt" = coalesce("sentAt", now()), "updatedAt" = now(),
      "statusReason" = CASE WHEN status IN ('queued', 'failed') THEN NULL ELSE "statusReason" END,
      status = CASE WHEN status IN ('queued', 'failed') THEN 'sent'::"MessageStatus" ELSE status END
    WHERE id = ${message.messageId} AND "tenantId" = ${message.tenantId}`;
  if (moves) {
    await recordEvent(tx, {
      tenantId: message.tenantId,
      mailboxId: message.mailboxId,
      type: "message.sent",
      data: { ...messageEventData({ id: message.messageId, threadId: message.threadId, direction: "outbound", status: "sent" }), recipientCount },
    });
  }
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
  countDelivery("failed");
}
