// Per-mailbox send limits (SPEC §4): sendPerMinute and sendPerDay, fixed windows
// (the minute, the UTC day) counted in RateLimitCounter so every app instance sees
// the same state. One accepted send counts one message whatever its recipient count
// (a provider bills and throttles per email; the 50-recipient cap bounds fan-out).
// The counters are consumed inside the send transaction (see commitOutbound): the
// message row and the consumption commit together, and a refused send rolls both back.
import "server-only";
import { ApiError } from "@/lib/errors";
import { exceededHeaders, windowStart, type WindowState } from "@/lib/limits/fixed-window";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The RateLimitCounter scopes of a mailbox's send limits (the usage route reads these). */
export function mailboxSendScopes(mailboxId: string) {
  return { minute: `mailbox:${mailboxId}:minute`, day: `mailbox:${mailboxId}:day` };
}

/** Window starts for `now`: the minute and the UTC day. */
export function sendWindows(now: number) {
  return { minute: windowStart(now, MINUTE_MS), day: windowStart(now, DAY_MS) };
}

// Columns are UTC timestamps without zone; an ISO string keeps the process time zone out of it.
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * SQL (CTEs "minute" and "day") that counts `n` sends against both windows of the
 * mailbox whose limits the CTE "mb" (columns pm, pd) yields. Each CTE returns the new
 * count, or no row when the window is full. The counter rows stay locked until the
 * transaction ends, so concurrent sends of one mailbox queue there while other
 * mailboxes' rows are untouched. Parameters start at `$first`.
 */
export function sendLimitCtes(first: number): string {
  const p = (i: number) => `$${first + i}`;
  const n = `${p(6)}::int`;
  const window = (name: string, scope: string, start: string, expires: string, limit: string) => `${name} AS (
       INSERT INTO "RateLimitCounter" (scope, "windowStart", "tenantId", count, "expiresAt")
       SELECT ${scope}, ${start}::timestamp, mb."tenantId", ${n}, ${expires}::timestamp FROM mb WHERE mb.${limit} >= ${n}
       ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + ${n}
       WHERE "RateLimitCounter".count + ${n} <= (SELECT ${limit} FROM mb)
       RETURNING count
     )`;
  return `${window("minute", p(0), p(1), p(2), "pm")}, ${window("day", p(3), p(4), p(5), "pd")}`;
}

/** The parameters of sendLimitCtes, in order. */
export function sendLimitParams(mailboxId: string, now: number, count = 1): unknown[] {
  const scopes = mailboxSendScopes(mailboxId);
  const w = sendWindows(now);
  return [scopes.minute, iso(w.minute), iso(w.minute + 2 * MINUTE_MS), scopes.day, iso(w.day), iso(w.day + 2 * DAY_MS), count];
}

/**
 * Turns the outcome of sendLimitCtes into an error: 429 rate_limited with Retry-After
 * (the exact wait until the exhausted window ends) and the IETF RateLimit fields of
 * that policy; 403 mailbox_suspended when the mailbox is not active (no limits row).
 */
export function assertWithinSendLimits(
  row: { pm: number | null; pd: number | null; minute: number | null; day: number | null },
  now: number,
): void {
  if (row.pm === null || row.pd === null) throw new ApiError("mailbox_suspended", "This mailbox is suspended and cannot send");
  const windows = sendWindows(now);
  const dayFull = row.day === null;
  if (!dayFull && row.minute !== null) return;
  // When both are exhausted the day decides the wait: retrying after a minute would fail again.
  const state: WindowState = dayFull
    ? { limit: row.pd, used: row.pd, windowMs: DAY_MS, windowStart: windows.day, now }
    : { limit: row.pm, used: row.pm, windowMs: MINUTE_MS, windowStart: windows.minute, now };
  const policy = dayFull ? "mailbox-day" : "mailbox-minute";
  throw new ApiError(
    "rate_limited",
    dayFull ? `This mailbox has reached its limit of ${row.pd} sends per day` : `This mailbox has reached its limit of ${row.pm} sends per minute`,
    { limit: { policy, limit: state.limit, windowSeconds: state.windowMs / 1000 } },
    exceededHeaders(policy, state),
  );
}
