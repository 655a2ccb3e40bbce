// Delivers one webhook (a "webhook.deliver" job) per the Standard Webhooks spec:
// webhook-id (the event id), webhook-timestamp and webhook-signature made with
// svix's Webhook.sign, one signature per valid secret (both during a rotation).
// At least once: a 5xx, 429, timeout or connection error is retried on a schedule
// spanning about 24 h (8 attempts); every attempt is logged. An endpoint that has
// failed without a success for 5 days is disabled and its owners see why.
import "server-only";
import { countWebhookDelivery } from "@/lib/observability/metrics";
import { Webhook } from "svix";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { completeJob, failJob, retryJob, type JobRow } from "@/lib/jobs/claim-jobs";
import { readEvents } from "@/lib/events/read-events";
import type { EventDto } from "@/lib/events/types";
import { postWebhook, type PostResult } from "@/lib/webhooks/post-webhook";
import { checkTargetUrl, resolveTarget, TargetRefused } from "@/lib/webhooks/target-policy";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export type WebhookDeliveryOptions = {
  /** Wait before attempt n+1 after attempt n failed; its length + 1 is the number of attempts. */
  retryScheduleMs: number[];
  timeoutMs: number;
  disableAfterMs: number;
};

// 0, 5 s, 5 min, 30 min, 2 h, 5 h, 8 h, 8 h: the 8th attempt is about 23.6 h after the first.
export const DEFAULT_WEBHOOK_OPTIONS: WebhookDeliveryOptions = {
  retryScheduleMs: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 8 * HOUR, 8 * HOUR],
  timeoutMs: 10 * SECOND,
  disableAfterMs: 5 * 24 * HOUR,
};

/** The signatures header value: one `v1,<base64>` per secret, space-separated. */
export function signWebhook(secrets: string[], msgId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, body)).join(" ");
}

export function validSecrets(endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now = new Date()): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) secrets.push(endpoint.previousSecret);
  return secrets;
}

async function payloadOf(delivery: { tenantId: string; eventId: bigint | null; testPayload: unknown }): Promise<EventDto | null> {
  if (delivery.testPayload) return delivery.testPayload as EventDto;
  if (delivery.eventId === null) return null;
  const [event] = await readEvents({ tenantId: delivery.tenantId, after: delivery.eventId - 1n, limit: 1 });
  return event && BigInt(event.id) === delivery.eventId ? event : null;
}

export async function deliverWebhookJob(job: JobRow, options: WebhookDeliveryOptions = DEFAULT_WEBHOOK_OPTIONS): Promise<void> {
  const db = getDb();
  const deliveryId = (job.payload as { deliveryId?: string } | null)?.deliveryId ?? job.id;
  const delivery = job.tenantId
    ? await db.webhookDelivery.findFirst({ where: { id: deliveryId, tenantId: job.tenantId }, include: { endpoint: true } })
    : null;
  if (!delivery || delivery.status === "succeeded") {
    await db.$transaction((tx) => completeJob(tx, job.id));
    return;
  }
  const { endpoint } = delivery;
  const stop = async (reason: string) => {
    await db.$transaction(async (tx) => {
      await tx.webhookDelivery.updateMany({
        where: { id: delivery.id, tenantId: delivery.tenantId },
        data: { status: "failed", lastError: reason, nextAttemptAt: null },
      });
      await failJob(tx, job.id, reason);
    });
  };
  if (!endpoint.enabled) {
    countWebhookDelivery("disabled");
    return stop("The endpoint is disabled");
  }
  const payload = await payloadOf(delivery);
  if (!payload) return stop("The event is no longer in the event log");

  const body = JSON.stringify(payload);
  const now = new Date();
  const headers = {
    "webhook-id": payload.id,
    "webhook-timestamp": Math.floor(now.getTime() / 1000).toString(),
    "webhook-signature": signWebhook(validSecrets(endpoint, now), payload.id, now, body),
  };
  let result: PostResult;
  const started = Date.now();
  try {
    const url = checkTargetUrl(endpoint.url);
    const [address] = await resolveTarget(url);
    result = await postWebhook({ url, address, headers, body, timeoutMs: options.timeoutMs });
  } catch (err) {
    if (!(err instanceof TargetRefused)) throw err;
    // Refused at delivery (DNS now points somewhere private, or the host is gone): a failed attempt.
    result = { ok: false, statusCode: null, durationMs: Date.now() - started, error: err.message, retryable: true };
  }

  const attempt = job.attempts;
  const delay = options.retryScheduleMs[attempt - 1];
  const retry = !result.ok && result.retryable && attempt < job.maxAttempts && delay !== undefined;
  await db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        id: uuidv7(),
        tenantId: delivery.tenantId,
        deliveryId: delivery.id,
        attempt,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.ok ? null : result.error,
      },
    });
    await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, tenantId: delivery.tenantId },
      data: {
        attempts: attempt,
        status: result.ok ? "succeeded" : retry ? "pending" : "failed",
        lastStatusCode: result.statusCode,
        lastDurationMs: result.durationMs,
        lastError: result.ok ? null : result.error,
        nextAttemptAt: retry ? new Date(Date.now() + delay) : null,
        deliveredAt: result.ok ? new Date() : undefined,
      },
    });
    if (result.ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, tenantId: endpoint.tenantId, failingSince: { not: null } }, data: { failingSince: null } });
      await completeJob(tx, job.id);
      return;
    }
    await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, tenantId: endpoint.tenantId, failingSince: null }, data: { failingSince: new Date() } });
    const disableBefore = new Date(Date.now() - options.disableAfterMs);
    const { count: disabled } = await tx.webhookEndpoint.updateMany({
      where: { id: endpoint.id, tenantId: endpoint.tenantId, enabled: true, failingSince: { lte: disableBefore } },
      data: { enabled: false, disabledReason: "Disabled automatically: every delivery failed for 5 days" },
    });
    if (disabled) {
      await recordAuditEvent(tx, {
        tenantId: endpoint.tenantId,
        actor: { type: "system", label: "webhooks" },
        action: "webhook.disabled",
        targetType: "webhook_endpoint",
        targetId: endpoint.id,
        metadata: { reason: "failing for 5 days" },
      });
    }
    if (retry) await retryJob(tx, job.id, result.error, delay);
    else await failJob(tx, job.id, result.error);
  });
  countWebhookDelivery(result.ok ? "delivered" : retry ? "retry" : "failed");
}
