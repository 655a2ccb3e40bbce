// The one Prisma client (driver adapter over node-postgres, no native engine).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { runningEmbeddedUrlSync } from "@/lib/db/embedded-state";
import { getEnv } from "@/lib/env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Holder = { prisma?: PrismaClient; pool?: pg.Pool; counterPool?: pg.Pool };
const holder = globalThis as typeof globalThis & { __sairaphDb?: Holder };
holder.__sairaphDb ??= {};

export function databaseUrl(): string {
  const env = getEnv();
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const url = runningEmbeddedUrlSync(env.SAIRAPH_DATA_DIR);
  if (!url) {
    throw new Error(
      `No database: DATABASE_URL is unset and no embedded database is running in ${env.SAIRAPH_DATA_DIR} (start the app with npm start)`,
    );
  }
  return url;
}

/**
 * Timestamps are stored without a time zone, in UTC, and SQL compares and writes them
 * with now(): that only agrees with the UTC values the app writes when the session's
 * TimeZone is UTC, whatever the server's default (many PostgreSQL installs use local time).
 * Set as a startup option, so no statement (and no extra query racing the first one)
 * runs in another zone.
 */
function sessionOptions(url: string, extra = ""): string {
  // node-postgres lets the URL's own `options` win: keep them, then add ours.
  const own = new URL(url).searchParams.get("options");
  return `${own ? `${own} ` : ""}-c TimeZone=UTC${extra}`;
}

function newPool(max: number, extra = ""): pg.Pool {
  const url = databaseUrl();
  const parsed = new URL(url);
  parsed.searchParams.delete("options");
  return new pg.Pool({
    connectionString: parsed.toString(),
    max,
    connectionTimeoutMillis: DB_WAIT_BOUNDS.acquireMs,
    options: sessionOptions(url, ` ${boundedSessions}${extra}`),
  });
}

/**
 * Every wait for the database has a bound, all well under the 30 s idempotency lock
 * (IDEMPOTENCY_LOCK_MS), so a request never sits on a pooled connection, a row lock
 * or a slow statement for longer than its Idempotency-Key is held: waiting for a
 * pooled connection, waiting for a lock, and one statement.
 */
export const DB_WAIT_BOUNDS = { acquireMs: 5_000, lockMs: 5_000, statementMs: 15_000 } as const;

const boundedSessions = `-c lock_timeout=${DB_WAIT_BOUNDS.lockMs} -c statement_timeout=${DB_WAIT_BOUNDS.statementMs}`;

/** The shared node-postgres pool, for the few statements Prisma cannot express. */
export function getPool(): pg.Pool {
  const h = holder.__sairaphDb!;
  h.pool ??= newPool(20);
  return h.pool;
}

/**
 * A pool whose commits do not wait for the WAL flush, for per-request counters
 * (key rate limits, last use). Losing the last fraction of a second of counts in a
 * database crash is harmless; waiting for an fsync on every API request capped
 * throughput at ~600 requests/s (measured). Never use it for mail or keys.
 */
export function getCounterPool(): pg.Pool {
  const h = holder.__sairaphDb!;
  h.counterPool ??= newPool(10, " -c synchronous_commit=off");
  return h.counterPool;
}

export function getDb(): PrismaClient {
  const h = holder.__sairaphDb!;
  h.prisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return h.prisma;
}

/** Closes the client and pool (CLI, tests, shutdown). */
export async function disconnectDb(): Promise<void> {
  const h = holder.__sairaphDb!;
  const { prisma, pool, counterPool } = h;
  h.prisma = undefined;
  h.pool = undefined;
  h.counterPool = undefined;
  await prisma?.$disconnect();
  await pool?.end().catch(() => {});
  await counterPool?.end().catch(() => {});
}
