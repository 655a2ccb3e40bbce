// Failed sign-ins are throttled per address and per IP. The counters live in the
// database (RateLimitCounter), so the limit holds across app instances.
import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ADDRESS = 5;
export const MAX_FAILURES_PER_IP = 20;

export type SignInAttempt = { email: string; ip: string | null };
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function windowStart(now: number): Date {
  return new Date(Math.floor(now / SIGN_IN_WINDOW_MS) * SIGN_IN_WINDOW_MS);
}

// Addresses are hashed so the counter table holds no email address.
function addressScope(email: string): string {
  return `signin:address:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

function ipScope(ip: string): string {
  return `signin:ip:${ip}`;
}

function scopes(attempt: SignInAttempt): { scope: string; max: number }[] {
  const list = [{ scope: addressScope(attempt.email), max: MAX_FAILURES_PER_ADDRESS }];
  if (attempt.ip) list.push({ scope: ipScope(attempt.ip), max: MAX_FAILURES_PER_IP });
  return list;
}

async function addToCounter(scope: string, start: Date, delta: number): Promise<number> {
  const expiresAt = new Date(start.getTime() + SIGN_IN_WINDOW_MS);
  const { rows } = await getPool().query<{ count: number }>(
    `INSERT INTO "RateLimitCounter" (scope, "windowStart", count, "expiresAt")
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + EXCLUDED.count
     RETURNING count`,
    [scope, start, delta, expiresAt],
  );
  return rows[0].count;
}

/**
 * Counts the attempt as a failure before the password is checked, so parallel
 * guesses cannot all slip past a read-then-write check; a success gives it back
 * with releaseSignInAttempt. Refused once a counter is past its limit.
 */
export async function reserveSignInAttempt(attempt: SignInAttempt, now = Date.now()): Promise<ThrottleVerdict> {
  const start = windowStart(now);
  let over = false;
  for (const { scope, max } of scopes(attempt)) {
    const count = await addToCounter(scope, start, 1);
    if (count > max) over = true;
  }
  if (!over) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.ceil((start.getTime() + SIGN_IN_WINDOW_MS - now) / 1000) };
}

/** A successful sign-in is not a failure: take its reservation back. */
export async function releaseSignInAttempt(attempt: SignInAttempt, now = Date.now()): Promise<void> {
  const start = windowStart(now);
  for (const { scope } of scopes(attempt)) await addToCounter(scope, start, -1);
}

/** The client address as the nearest proxy reports it (Next.js sets x-forwarded-for). */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || null;
}
