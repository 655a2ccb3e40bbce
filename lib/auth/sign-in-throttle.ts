// Failed sign-ins are throttled per address and per client IP. The counters live in
// the database (RateLimitCounter), so the limits hold across app instances.
//
// Per address: a growing delay, never a lock. After FREE_FAILURES_PER_ADDRESS
// failures each further attempt must wait 1 s, 2 s, 4 s … up to
// MAX_ADDRESS_DELAY_MS after the previous failure; a success or a quiet
// ADDRESS_MEMORY_MS forgets them. A stranger can slow guessing at an address down,
// but cannot shut its owner out for good.
//
// Per IP: a fixed window (MAX_FAILURES_PER_IP per SIGN_IN_WINDOW_MS), only when the
// client IP is known, which needs a trusted reverse proxy (SAIRAPH_TRUSTED_PROXY_HOPS):
// X-Forwarded-For written by the client itself would let each request pick a new
// IP, or blame a victim's.
//
// Times are passed to SQL as UTC strings (utcTimestamp): the columns hold UTC.
import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { utcTimestamp } from "@/lib/limits/fixed-window";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_IP = 20;
export const FREE_FAILURES_PER_ADDRESS = 5;
export const FIRST_ADDRESS_DELAY_MS = 1_000;
export const MAX_ADDRESS_DELAY_MS = 5 * 60_000;
export const ADDRESS_MEMORY_MS = 24 * 60 * 60_000;

export type SignInAttempt = { email: string; ip: string | null };
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The address row has one window that never rolls over: its count is the failures since the last success. */
const ADDRESS_ROW = utcTimestamp(0);

/** The wait after `failures` failures of one address before the next attempt. */
export function addressDelayMs(failures: number): number {
  if (failures < FREE_FAILURES_PER_ADDRESS) return 0;
  return Math.min(FIRST_ADDRESS_DELAY_MS * 2 ** (failures - FREE_FAILURES_PER_ADDRESS), MAX_ADDRESS_DELAY_MS);
}

// Addresses are hashed so the counter table holds no email address.
function addressScope(email: string): string {
  return `signin:address:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

function ipScope(ip: string): string {
  return `signin:ip:${ip}`;
}

function ipWindow(now: number): number {
  return Math.floor(now / SIGN_IN_WINDOW_MS) * SIGN_IN_WINDOW_MS;
}

/**
 * Counts a failure for the address unless its delay has not passed yet. Returns
 * null when it may go ahead, else the seconds to wait. One statement, so parallel
 * guesses cannot all slip through.
 */
async function reserveAddress(email: string, now: number): Promise<number | null> {
  const delaySql = `LEAST($5::double precision * power(2, c.count - $4), $6::double precision)`;
  const { rows } = await getPool().query<{ count: number | null; wait: number | null }>(
    `WITH c AS (SELECT count, "expiresAt" - make_interval(secs => $7::double precision) AS last
                FROM "RateLimitCounter" WHERE scope = $1 AND "windowStart" = $2::timestamp AND "expiresAt" > $3::timestamp),
     up AS (
       INSERT INTO "RateLimitCounter" (scope, "windowStart", count, "expiresAt")
       VALUES ($1, $2::timestamp, 1, $3::timestamp + make_interval(secs => $7::double precision))
       ON CONFLICT (scope, "windowStart") DO UPDATE SET
         count = CASE WHEN "RateLimitCounter"."expiresAt" <= $3::timestamp THEN 1 ELSE "RateLimitCounter".count + 1 END,
         "expiresAt" = EXCLUDED."expiresAt"
       WHERE NOT EXISTS (SELECT 1 FROM c)
          OR (SELECT count FROM c) < $4
          OR (SELECT c.last + make_interval(secs => ${delaySql} / 1000) FROM c) <= $3::timestamp
       RETURNING count
     )
     SELECT (SELECT count FROM up) AS count,
            (SELECT EXTRACT(EPOCH FROM (c.last + make_interval(secs => ${delaySql} / 1000) - $3::timestamp)) FROM c)::float8 AS wait`,
    [addressScope(email), ADDRESS_ROW, utcTimestamp(now), FREE_FAILURES_PER_ADDRESS, FIRST_ADDRESS_DELAY_MS, MAX_ADDRESS_DELAY_MS, ADDRESS_MEMORY_MS / 1000],
  );
  if (rows[0].count !== null) return null;
  return Math.max(1, Math.ceil(rows[0].wait ?? 1));
}

async function addToIpCounter(ip: string, now: number, delta: number): Promise<number> {
  const start = ipWindow(now);
  const { rows } = await getPool().query<{ count: number }>(
    `INSERT INTO "RateLimitCounter" (scope, "windowStart", count, "expiresAt")
     VALUES ($1, $2::timestamp, $3, $4::timestamp)
     ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + EXCLUDED.count
     RETURNING count`,
    [ipScope(ip), utcTimestamp(start), delta, utcTimestamp(start + SIGN_IN_WINDOW_MS)],
  );
  return rows[0].count;
}

/**
 * Counts the attempt as a failure before the password is checked, so parallel
 * guesses cannot all slip past a read-then-write check; a success gives it back
 * with releaseSignInAttempt.
 */
export async function reserveSignInAttempt(attempt: SignInAttempt, now = Date.now()): Promise<ThrottleVerdict> {
  if (attempt.ip) {
    const count = await addToIpCounter(attempt.ip, now, 1);
    if (count > MAX_FAILURES_PER_IP) {
      return { allowed: false, retryAfterSeconds: Math.ceil((ipWindow(now) + SIGN_IN_WINDOW_MS - now) / 1000) };
    }
  }
  const wait = await reserveAddress(attempt.email, now);
  if (wait === null) return { allowed: true };
  if (attempt.ip) await addToIpCounter(attempt.ip, now, -1); // refused before any password work: not a guess
  return { allowed: false, retryAfterSeconds: wait };
}

/** A successful sign-in: the address's failures are forgotten and the IP's reservation given back. */
export async function releaseSignInAttempt(attempt: SignInAttempt, now = Date.now()): Promise<void> {
  await getPool().query(`DELETE FROM "RateLimitCounter" WHERE scope = $1 AND "windowStart" = $2::timestamp`, [addressScope(attempt.email), ADDRESS_ROW]);
  if (attempt.ip) await addToIpCounter(attempt.ip, now, -1);
}

/**
 * The client's IP, or null when it cannot be known. Each reverse proxy appends the
 * address it received the request from to X-Forwarded-For, so behind N trusted
 * proxies the client is the N-th entry from the right; anything left of it was
 * written by the client and proves nothing. With no trusted proxy (the default) the
 * header is ignored altogether: Next.js passes a client-sent value through as is.
 */
export function clientIp(headers: Headers, hops = getEnv().SAIRAPH_TRUSTED_PROXY_HOPS): string | null {
  if (hops <= 0) return null;
  const entries = (headers.get("x-forwarded-for") ?? "").slice(0, 4096).split(",").map((e) => e.trim());
  if (entries.length < hops) return null;
  const ip = entries[entries.length - hops];
  return ip && ip.length <= 45 ? ip : null;
}
