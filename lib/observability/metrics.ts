// Prometheus metrics (prom-client) of this app process, served by GET /api/metrics.
// Counters are per process (scrape every instance); the outbox gauges are read from
// the database at scrape time, so every instance reports the same queue.
// Kept on globalThis: instrumentation and route handlers are separate module graphs.
import "server-only";
import client from "prom-client";
import { getPool } from "@/lib/db";
import type { ErrorCode } from "@/lib/errors";

export type DeliveryResult = "sent" | "retry" | "failed" | "paused";
export type InboundResult = "accepted" | "dropped";
/** Why an inbound message was dropped (bounded: these become label values). */
export type InboundDropReason = "unknown_recipient" | "mailbox_suspended" | "too_large" | "invalid" | "duplicate" | "other";
export type WebhookDeliveryResult = "delivered" | "retry" | "failed" | "disabled";
/** "ok", or the error code the authentication answered with (unauthorized, key_expired, key_revoked, forbidden, …). */
export type KeyAuthResult = "ok" | ErrorCode | "error";

type Metrics = {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  deliveries: client.Counter<"result">;
  inbound: client.Counter<"result" | "reason">;
  webhookDeliveries: client.Counter<"result">;
  keyAuthentications: client.Counter<"result">;
  jobs: client.Histogram<"kind" | "outcome">;
};

const holder = globalThis as typeof globalThis & { __sairaphMetrics?: Metrics };

function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "sairaph_process_" });
  const registers = [registry];
  // One query per scrape feeds both outbox gauges (prom-client collects metrics concurrently).
  let reading: Promise<{ pending: number; running: number; age: number }> | null = null;
  const readOutbox = () =>
    (reading ??= getPool()
      .query<{ pending: string; running: string; age: number | null }>(
        `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                count(*) FILTER (WHERE status = 'running') AS running,
                extract(epoch FROM now() - min("runAt") FILTER (WHERE status = 'pending' AND "runAt" <= now()))::float8 AS age
         FROM "Job" WHERE status IN ('pending', 'running') AND kind = 'outbound.deliver'`,
      )
      .then(({ rows }) => ({ pending: Number(rows[0].pending), running: Number(rows[0].running), age: Math.max(0, rows[0].age ?? 0) }))
      .finally(() => (reading = null)));
  new client.Gauge({
    name: "sairaph_outbox_jobs",
    help: "Outbound delivery jobs waiting (pending) or being delivered (running)",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const outbox = await readOutbox();
      this.set({ state: "pending" }, outbox.pending);
      this.set({ state: "running" }, outbox.running);
    },
  });
  new client.Gauge({
    name: "sairaph_outbox_oldest_due_age_seconds",
    help: "How long the oldest due, not yet delivered outbound job has been waiting (0 when none)",
    registers,
    async collect() {
      this.set((await readOutbox()).age);
    },
  });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: "sairaph_http_request_duration_seconds",
      help: "HTTP requests by route pattern, method and status, with their duration",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    deliveries: new client.Counter({
      name: "sairaph_deliveries_total",
      help: "Outbound delivery attempts by result: sent, retry (will be tried again), failed (given up), paused (the provider refused our API key; the message waits)",
      labelNames: ["result"] as const,
      registers,
    }),
    inbound: new client.Counter({
      name: "sairaph_inbound_messages_total",
      help: "Inbound messages accepted into a mailbox or dropped, with the reason",
      labelNames: ["result", "reason"] as const,
      registers,
    }),
    webhookDeliveries: new client.Counter({
      name: "sairaph_webhook_deliveries_total",
      help: "Customer webhook deliveries by result",
      labelNames: ["result"] as const,
      registers,
    }),
    keyAuthentications: new client.Counter({
      name: "sairaph_key_authentications_total",
      help: "API key authentications by result",
      labelNames: ["result"] as const,
      registers,
    }),
    jobs: new client.Histogram({
      name: "sairaph_job_duration_seconds",
      help: "Background jobs run by this process, by kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
  };
}

export function getMetrics(): Metrics {
  holder.__sairaphMetrics ??= createMetrics();
  return holder.__sairaphMetrics;
}

export function countDelivery(result: DeliveryResult): void {
  getMetrics().deliveries.inc({ result });
}

/** For the inbound handlers: one call per message offered to a mailbox. */
export function countInbound(result: "accepted"): void;
export function countInbound(result: "dropped", reason: InboundDropReason): void;
export function countInbound(result: InboundResult, reason: InboundDropReason | "none" = "none"): void {
  getMetrics().inbound.inc({ result, reason });
}

/** For the customer webhook sender: one call per delivery attempt. */
export function countWebhookDelivery(result: WebhookDeliveryResult): void {
  getMetrics().webhookDeliveries.inc({ result });
}

export function countKeyAuthentication(result: KeyAuthResult): void {
  getMetrics().keyAuthentications.inc({ result });
}
