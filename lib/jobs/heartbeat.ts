// Every running job worker keeps a row in WorkerHeartbeat fresh; /api/health?ready=1
// reports not ready when no worker beat recently (sends would queue up undelivered).
import "server-only";
import os from "node:os";
import { getPool } from "@/lib/db";

export const HEARTBEAT_EVERY_MS = 5_000;
/** A worker is presumed gone after this long without a beat. */
export const HEARTBEAT_STALE_MS = 30_000;

export async function beat(workerId: string): Promise<void> {
  await getPool().query(
    `INSERT INTO "WorkerHeartbeat" (id, host, pid, "startedAt", "beatAt") VALUES ($1, $2, $3, now(), now())
     ON CONFLICT (id) DO UPDATE SET "beatAt" = now()`,
    [workerId, os.hostname().slice(0, 255), process.pid],
  );
}

/** Called by a stopping worker; stale rows of crashed workers are swept too. */
export async function removeHeartbeat(workerId: string): Promise<void> {
  await getPool().query(
    `DELETE FROM "WorkerHeartbeat" WHERE id = $1 OR "beatAt" < now() - make_interval(secs => $2::double precision / 1000) * 10`,
    [workerId, HEARTBEAT_STALE_MS],
  );
}

/** Seconds since the most recent beat of any worker, or null when none ever beat. */
export async function secondsSinceLastBeat(): Promise<number | null> {
  const { rows } = await getPool().query<{ age: number | null }>(
    `SELECT extract(epoch FROM now() - max("beatAt"))::float8 AS age FROM "WorkerHeartbeat"`,
  );
  return rows[0]?.age ?? null;
}
