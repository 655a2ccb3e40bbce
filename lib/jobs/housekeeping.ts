// Expired idempotency records, limit counters and old webhook receipts are deleted in
// small batches, jobs whose every attempt was taken by a crashed worker are given up,
// and the event log's periodic work runs (key.expiring, retention).
import "server-only";
import { getPool } from "@/lib/db";
import { runEventHousekeeping } from "@/lib/events/event-housekeeping";
import { purgeOldReceipts } from "@/lib/inbound/webhook-receipts";

export async function runHousekeeping(): Promise<void> {
  const pool = getPool();
  await pool.query(
    `DELETE FROM "IdempotencyRecord" WHERE id IN (SELECT id FROM "IdempotencyRecord" WHERE "expiresAt" < now() LIMIT 1000)`,
  );
  await pool.query(
    `DELETE FROM "RateLimitCounter" WHERE (scope, "windowStart") IN
       (SELECT scope, "windowStart" FROM "RateLimitCounter" WHERE "expiresAt" < now() LIMIT 1000)`,
  );
  await purgeOldReceipts();
  await pool.query(
    `WITH dead AS (
       UPDATE "Job" SET status = 'failed', "lockedUntil" = NULL, "updatedAt" = now(),
         "lastError" = coalesce("lastError", 'the worker stopped during every attempt')
       WHERE status = 'running' AND "lockedUntil" < now() AND attempts >= "maxAttempts"
       RETURNING "messageId", "tenantId", kind
     )
     UPDATE "Message" m SET status = 'failed', "statusReason" = 'Delivery was interrupted on every attempt', "updatedAt" = now()
     FROM dead WHERE dead.kind = 'outbound.deliver' AND m.id = dead."messageId" AND m."tenantId" = dead."tenantId" AND m.status = 'queued'`,
  );
  // key.expiring notices and the event log's retention (SPEC §12).
  await runEventHousekeeping();
}
