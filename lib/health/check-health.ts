import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { getDb, getPool, type Db } from "@/lib/db";
import { HEARTBEAT_STALE_MS, secondsSinceLastBeat } from "@/lib/jobs/heartbeat";

/** A provider that refused our API key: sending through it waits (messages stay queued) until it is fixed. */
export type ProviderPause = { provider: string; reason: string; since: string };

export type Health = {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  /** "paused" tells the operator that mail is not going out, and why. */
  outbox?: { status: "ok" } | { status: "paused"; paused: ProviderPause[] };
  time: string;
};
export type Readiness = Health & {
  ready: boolean;
  migrations: "applied" | "pending" | "unknown";
  /** Seconds since the last beat of any job worker (app instance or `npm run worker`). */
  worker: { status: "ok" | "stale" | "none" | "unknown"; lastBeatSecondsAgo: number | null };
};

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness: the process answers and reaches its database. One round trip (it is the
 * floor every other route is measured against): the query that finds paused
 * providers also proves the database answers.
 */
export async function checkHealth({ db = getDb(), timeoutMs = 2000 }: { db?: Db; timeoutMs?: number } = {}): Promise<Health> {
  const time = new Date().toISOString();
  try {
    const pauses = await withTimeout(
      db.$queryRaw<{ provider: string; pauseReason: string | null; pausedAt: Date }[]>`
        SELECT "provider", "pauseReason", "pausedAt" FROM "ProviderState" WHERE "pausedAt" IS NOT NULL ORDER BY "provider"`,
      timeoutMs,
      "database check",
    );
    const outbox: Health["outbox"] = pauses.length
      ? { status: "paused", paused: pauses.map((p) => ({ provider: p.provider, reason: p.pauseReason ?? "paused", since: new Date(p.pausedAt).toISOString() })) }
      : { status: "ok" };
    // The app itself is up: a paused outbox is reported, not a reason to take the instance out of rotation.
    return { status: "ok", database: "ok", outbox, time };
  } catch (err) {
    console.error(`[health] database unreachable: ${err instanceof Error ? err.message : String(err)}`);
    return { status: "degraded", database: "unreachable", time };
  }
}

/** The migration folders this build ships (read once: they do not change while it runs). */
let shipped: Promise<string[]> | undefined;
function shippedMigrations(): Promise<string[]> {
  shipped ??= readdir(path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations"), { withFileTypes: true }).then((entries) =>
    entries.filter((e) => e.isDirectory()).map((e) => e.name),
  );
  return shipped;
}

/** Readiness: liveness, every shipped migration applied, and a job worker that beat recently. */
export async function checkReadiness({ timeoutMs = 2000 }: { timeoutMs?: number } = {}): Promise<Readiness> {
  const health = await checkHealth({ timeoutMs });
  if (health.database !== "ok") {
    return { ...health, ready: false, migrations: "unknown", worker: { status: "unknown", lastBeatSecondsAgo: null } };
  }
  let migrations: Readiness["migrations"] = "unknown";
  let worker: Readiness["worker"] = { status: "unknown", lastBeatSecondsAgo: null };
  try {
    const [expected, { rows }] = await Promise.all([
      shippedMigrations(),
      withTimeout(
        getPool().query<{ name: string }>(
          `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        ),
        timeoutMs,
        "migration check",
      ),
    ]);
    const applied = new Set(rows.map((r) => r.name));
    migrations = expected.every((name) => applied.has(name)) ? "applied" : "pending";
    const age = await withTimeout(secondsSinceLastBeat(), timeoutMs, "worker check");
    const lastBeatSecondsAgo = age === null ? null : Math.round(age * 10) / 10;
    worker = { status: age === null ? "none" : age * 1000 <= HEARTBEAT_STALE_MS ? "ok" : "stale", lastBeatSecondsAgo };
  } catch (err) {
    console.error(`[health] readiness check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ready = migrations === "applied" && worker.status === "ok";
  return { ...health, status: ready ? "ok" : "degraded", ready, migrations, worker };
}
