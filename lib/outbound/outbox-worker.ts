// The outbox worker of this process: started by instrumentation.ts with the app (when
// SAIRAPH_WORKER=on) or alone by `npm run worker`. Kept on globalThis because Next.js
// loads instrumentation and route handlers as separate module graphs, and a send
// must be able to kick the worker of its own process.
import "server-only";
import { createWorker, type Worker, type WorkerOptions } from "@/lib/jobs/worker";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";
import { getMetrics } from "@/lib/observability/metrics";
import { DEFAULT_DELIVERY_OPTIONS, DELIVER_JOB, deliverMessageJob, giveUpDelivery, type DeliveryOptions } from "@/lib/outbound/deliver-message";
import { WEBHOOK_JOB } from "@/lib/events/record-event";
import { RESEND_FETCH_JOB, fetchReceivedEmailJob, giveUpFetch } from "@/lib/inbound/fetch-resend-received";
import { DEFAULT_WEBHOOK_OPTIONS, deliverWebhookJob, type WebhookDeliveryOptions } from "@/lib/webhooks/deliver-webhook";

const holder = globalThis as typeof globalThis & { __sairaphOutbox?: Worker };

export function createOutboxWorker(
  options: Omit<WorkerOptions, "handlers"> & { delivery?: Partial<DeliveryOptions>; webhooks?: Partial<WebhookDeliveryOptions> } = {},
): Worker {
  const delivery: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, ...options.delivery };
  const logger = getLogger();
  const webhooks: WebhookDeliveryOptions = { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks };
  return createWorker({
    leaseMs: getEnv().SAIRAPH_JOB_LEASE_SECONDS * 1000,
    log: (message, err) => logger.warn({ err: err instanceof Error ? err.message : err }, message),
    onJobDone: (job, outcome, durationMs) => {
      getMetrics().jobs.observe({ kind: job.kind, outcome }, durationMs / 1000);
      logger.info({ jobId: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts, outcome, durationMs }, "job");
    },
    ...options,
    handlers: {
      [DELIVER_JOB]: { run: (job) => deliverMessageJob(job, delivery), giveUp: giveUpDelivery },
      // Customer webhooks (SPEC §12) share the worker: same claiming, same leases.
      [WEBHOOK_JOB]: { run: (job) => deliverWebhookJob(job, webhooks) },
      // Resend inbound: fetching a received email's content after its webhook was answered.
      [RESEND_FETCH_JOB]: { run: fetchReceivedEmailJob, giveUp: giveUpFetch },
    },
  });
}

/** Starts this process's outbox worker once; later calls return the same one. */
export function startOutboxWorker(options?: Parameters<typeof createOutboxWorker>[0]): Worker {
  if (!holder.__sairaphOutbox) {
    holder.__sairaphOutbox = createOutboxWorker(options);
    holder.__sairaphOutbox.start();
  }
  return holder.__sairaphOutbox;
}

export async function stopOutboxWorker(options?: { graceMs?: number }): Promise<void> {
  const worker = holder.__sairaphOutbox;
  holder.__sairaphOutbox = undefined;
  await worker?.stop(options);
}

/** After a send commits: deliver now rather than at the next poll (no-op without a worker here). */
export function kickOutboxWorker(): void {
  holder.__sairaphOutbox?.kick();
}
