// Periodic event work, run by every job worker's housekeeping (about once a minute):
// key.expiring 7 days and 1 day before a key expires (once each, however many workers
// run: the notice row and the event commit together), and the retention of the event
// log and of finished webhook deliveries (SAIRAPH_EVENT_RETENTION_DAYS).
import "server-only";
import { getDb, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { recordEvent } from "@/lib/events/record-event";

const DAY_MS = 24 * 60 * 60 * 1000;
// Each notice covers keys expiring within `days` but not within the next, shorter notice.
const NOTICES = [
  { days: 1, from: 0, to: 1 },
  { days: 7, from: 1, to: 7 },
] as const;

type ExpiringKey = {
  id: string;
  tenantId: string;
  mailboxId: string | null;
  kind: string;
  role: string;
  prefix: string;
  last4: string;
  expiresAt: Date;
};

export async function announceExpiringKeys(now = new Date()): Promise<number> {
  let announced = 0;
  for (const notice of NOTICES) {
    const { rows } = await getPool().query<ExpiringKey>(
      `SELECT k.id, k."tenantId", k."mailboxId", k.kind::text AS kind, k.role::text AS role, k.prefix, k.last4,
              k."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt"
       FROM "ApiKey" k
       WHERE k."revokedAt" IS NULL AND k."expiresAt" > $1::timestamptz AT TIME ZONE 'UTC' + make_interval(days => $2)
         AND k."expiresAt" <= $1::timestamptz AT TIME ZONE 'UTC' + make_interval(days => $3)
         AND NOT EXISTS (SELECT 1 FROM "KeyExpiryNotice" n WHERE n."keyId" = k.id AND n.days <= $3)
       ORDER BY k."expiresAt" LIMIT 500`,
      [now.toISOString(), notice.from, notice.to],
    );
    for (const key of rows) {
      const recorded = await getDb().$transaction(async (tx) => {
        const inserted = await tx.$queryRaw<{ keyId: string }[]>`
          INSERT INTO "KeyExpiryNotice" ("tenantId", "keyId", days, "createdAt") VALUES (${key.tenantId}, ${key.id}, ${notice.days}, now())
          ON CONFLICT ("keyId", days) DO NOTHING RETURNING "keyId"`;
        if (inserted.length === 0) return false;
        await recordEvent(tx, {
          tenantId: key.tenantId,
          mailboxId: key.mailboxId,
          type: "key.expiring",
          data: {
            keyId: key.id,
            kind: key.kind,
            role: key.role,
            prefix: key.prefix,
            last4: key.last4,
            expiresAt: key.expiresAt.toISOString(),
            days: notice.days,
          },
        });
        return true;
      });
      if (recorded) announced += 1;
    }
  }
  return announced;
}

export async function pruneEvents(now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - getEnv().SAIRAPH_EVENT_RETENTION_DAYS * DAY_MS);
  const pool = getPool();
  await pool.query(
    `DELETE FROM "Event" WHERE ("tenantId", id) IN (SELECT "tenantId", id FROM "Event" WHERE "createdAt" < $1::timestamptz AT TIME ZONE 'UTC' LIMIT 5000)`,
    [cutoff.toISOString()],
  );
  await pool.query(
    `DELETE FROM "WebhookDelivery" WHERE id IN (SELECT id FROM "WebhookDelivery" WHERE status <> 'pending' AND "createdAt" < $1::timestamptz AT TIME ZONE 'UTC' LIMIT 5000)`,
    [cutoff.toISOString()],
  );
  await pool.query(
    `DELETE FROM "Job" WHERE id IN (SELECT id FROM "Job" WHERE kind = 'webhook.deliver' AND status IN ('done', 'failed') AND "updatedAt" < $1::timestamptz AT TIME ZONE 'UTC' LIMIT 5000)`,
    [cutoff.toISOString()],
  );
  // A rotation's old secret stops signing after its grace period; it is not kept beyond it.
  await getDb().webhookEndpoint.updateMany({
    where: { previousSecretExpiresAt: { lt: now } },
    data: { previousSecret: null, previousSecretExpiresAt: null },
  });
}

export async function runEventHousekeeping(): Promise<void> {
  await announceExpiringKeys();
  await pruneEvents();
}
