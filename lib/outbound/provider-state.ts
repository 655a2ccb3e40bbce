// What every worker shares about a mail provider (ProviderState): the pace of calls
// (no call starts before nextCallAt; each call moves it on by 1/rate, a 429's
// Retry-After pushes it out) and a pause when the provider refuses our API key, with
// the reason the operator sees in /api/health. Kept in the database so any number of
// workers on any number of instances stay under one provider limit together.
import "server-only";
import { getPool } from "@/lib/db";

export type SlotOutcome = { waitMs: number } | { deferMs: number };

/**
 * Reserves the next call slot of `provider`. Returns how long to wait before calling,
 * or, when the slot is further away than `maxWaitMs` (after a 429 or during a pause),
 * how long to put the job aside without taking a slot.
 */
export async function reserveProviderSlot(provider: string, input: { intervalMs: number; maxWaitMs: number }): Promise<SlotOutcome> {
  const { rows } = await getPool().query<{ waitMs: number }>(
    `INSERT INTO "ProviderState" (provider, "nextCallAt", "updatedAt")
     VALUES ($1, now() + make_interval(secs => $2::double precision / 1000), now())
     ON CONFLICT (provider) DO UPDATE
       SET "nextCallAt" = greatest("ProviderState"."nextCallAt", now()) + make_interval(secs => $2::double precision / 1000),
           "updatedAt" = now()
       WHERE "ProviderState"."nextCallAt" <= now() + make_interval(secs => $3::double precision / 1000)
     RETURNING greatest(0, extract(epoch FROM ("nextCallAt" - now())) * 1000 - $2::double precision)::float8 AS "waitMs"`,
    [provider, input.intervalMs, input.maxWaitMs],
  );
  if (rows[0]) return { waitMs: rows[0].waitMs };
  const later = await getPool().query<{ deferMs: number }>(
    `SELECT greatest(0, extract(epoch FROM ("nextCallAt" - now())) * 1000)::float8 AS "deferMs" FROM "ProviderState" WHERE provider = $1`,
    [provider],
  );
  return { deferMs: later.rows[0]?.deferMs ?? 0 };
}

/** No call to `provider` starts for `ms` (a 429's Retry-After, or a pause's next probe). */
export async function holdProvider(provider: string, ms: number): Promise<void> {
  await getPool().query(
    `INSERT INTO "ProviderState" (provider, "nextCallAt", "updatedAt")
     VALUES ($1, now() + make_interval(secs => $2::double precision / 1000), now())
     ON CONFLICT (provider) DO UPDATE
       SET "nextCallAt" = greatest("ProviderState"."nextCallAt", now() + make_interval(secs => $2::double precision / 1000)), "updatedAt" = now()`,
    [provider, ms],
  );
}

/** Pauses the outbox of `provider` (kept from the first refusal) and holds calls until the next probe. */
export async function pauseProvider(provider: string, reason: string, probeAfterMs: number): Promise<void> {
  const { rows } = await getPool().query<{ first: boolean }>(
    `INSERT INTO "ProviderState" (provider, "nextCallAt", "pausedAt", "pauseReason", "updatedAt")
     VALUES ($1, now() + make_interval(secs => $3::double precision / 1000), now(), $2, now())
     ON CONFLICT (provider) DO UPDATE
       SET "nextCallAt" = greatest("ProviderState"."nextCallAt", now() + make_interval(secs => $3::double precision / 1000)),
           "pausedAt" = coalesce("ProviderState"."pausedAt", now()), "pauseReason" = $2, "updatedAt" = now()
     RETURNING ("pausedAt" = "updatedAt") AS first`,
    [provider, reason.slice(0, 500), probeAfterMs],
  );
  if (rows[0]?.first) console.error(`[outbox] sending through ${provider} is paused: ${reason}`);
}

/** A call went through: the provider accepts our key again. */
export async function resumeProvider(provider: string): Promise<void> {
  const { rowCount } = await getPool().query(
    `UPDATE "ProviderState" SET "pausedAt" = NULL, "pauseReason" = NULL, "updatedAt" = now() WHERE provider = $1 AND "pausedAt" IS NOT NULL`,
    [provider],
  );
  if (rowCount) console.error(`[outbox] sending through ${provider} resumed`);
}
