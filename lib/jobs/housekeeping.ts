// Deletes what has outlived its retention, in batches until nothing expired is left
// (each batch its own short statement, so no long lock and no huge transaction), and
// gives up jobs whose every attempt was taken by a crashed worker, and looks pending
// domain claims up again, and runs the event log's periodic work (key.expiring,
// retention). Retention periods are in the README ("Retention").
import "server-only";
import { getPool } from "@/lib/db";
import { recheckPendingDomains } from "@/lib/domains/verify-domain";
import { runEventHousekeeping } from "@/lib/events/event-housekeeping";
import { RECEIPT_RETENTION_DAYS } from "@/lib/inbound/webhook-receipts";

/** Rows per DELETE; a batch takes a few milliseconds, so other writers never wait long. */
export const PURGE_BATCH = 5_000;

export const RETENTION = {
  /** Finished jobs (done or failed) and, with them, their delivery attempts. */
  finishedJobsDays: 30,
  /** Webhook ids (Resend, inbound): SPEC §5 asks for at least 7 days (providers retry for over a day). */
  webhookReceiptsDays: RECEIPT_RETENTION_DAYS,
} as const;

/** Each purge deletes at most PURGE_BATCH rows per statement; `$1` is the batch size. */
const PURGES: { name: string; sql: string }[] = [
  {
    name: "IdempotencyRecord",
    sql: `DELETE FROM "IdempotencyRecord" WHERE id IN (SELECT id FROM "IdempotencyRecord" WHERE "expiresAt" < now() LIMIT $1)`,
  },
  {
    name: "RateLimitCounter",
    sql: `DELETE FROM "RateLimitCounter" WHERE (scope, "windowStart") IN
            (SELECT scope, "windowStart" FROM "RateLimitCounter" WHERE "expiresAt" < now() LIMIT $1)`,
  },
  {
    // Delivery attempts go with their job (ON DELETE CASCADE).
    name: "Job",
    sql: `DELETE FROM "Job" WHERE id IN (
            SELECT id FROM "Job" WHERE status IN ('done', 'failed')
              AND "updatedAt" < now() - make_interval(days => ${RETENTION.finishedJobsDays}) LIMIT $1)`,
  },
  {
    name: "WebhookReceipt",
    sql: `DELETE FROM "WebhookReceipt" WHERE id IN (
            SELECT id FROM "WebhookReceipt" WHERE "receivedAt" < now() - make_interval(days => ${RETENTION.webhookReceiptsDays}) LIMIT $1)`,
  },
];

export type HousekeepingResult = { deleted: Record<string, number>; interruptedMessages: number };

export async function runHousekeeping(options: { batch?: number } = {}): Promise<HousekeepingResult> {
  const pool = getPool();
  const batch = options.batch ?? PURGE_BATCH;
  const deleted: Record<string, number> = {};
  for (const purge of PURGES) {
    deleted[purge.name] = 0;
    // A short batch means nothing expired is left (rows expiring meanwhile wait for the next run).
    for (;;) {
      const { rowCount } = await pool.query(purge.sql, [batch]);
      deleted[purge.name] += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) break;
    }
  }
  const { rowCount } = await pool.query(
    `WITH dead AS (
       UPDATE "Job" SET status = 'failed', "lockedUntil" = NULL, "updatedAt" = now(),
         "lastError" = coalesce("lastError", 'the worker stopped during every attempt')
       WHERE status = 'running' AND "lockedUntil" < now() AND attempts >= "maxAttempts"
       RETURNING "messageId", "tenantId", kind
     )
     UPDATE "Message" m SET status = 'failed', "statusReason" = 'Delivery was interrupted on every attempt', "updatedAt" = now()
     FROM dead WHERE dead.kind = 'outbound.deliver' AND m.id = dead."messageId" AND m."tenantId" = dead."tenantId" AND m.status = 'queued'`,
  );
  // Pending domain claims whose TXT record may have appeared since the last look.
  await recheckPendingDomains();
  // key.expiring notices and the event log's retention (SPEC §12).
  await runEventHousekeeping();
  return { deleted, interruptedMessages: rowCount ?? 0 };
}
