// Per-mailbox send limits (SPEC §4): sendPerMinute and sendPerDay, fixed windows
// (the minute, the UTC day) counted in RateLimitCounter so every app instance sees
// the same state. One accepted send counts one message whatever its recipient count
// (a provider bills and throttles per email; the 50-recipient cap bounds fan-out).
// The counters are consumed inside the send transaction: the message row and the
// consumption commit together, and a refused send rolls both back.
import "server-only";
import type { Tx } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
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

type Row = { pm: number | null; pd: number | null; minute: number | null; day: number | null };

/**
 * Counts one send against both windows in one statement. The counter rows are locked
 * until the transaction ends, so concurrent sends of one mailbox queue behind each
 * other there, while other mailboxes' rows are untouched. Throws 429 rate_limited
 * with Retry-After (the exact wait until the exhausted window ends) and the IETF
 * RateLimit fields of the exhausted policy; 403 mailbox_suspended for a mailbox that
 * is not active.
 */
export async function consumeSendLimits(
  tx: Tx,
  input: { tenantId: string; mailboxId: string; count?: number; now?: number },
): Promise<{ minuteUsed: number; dayUsed: number; perMinute: number; perDay: number }> {
  const now = input.now ?? Date.now();
  const n = input.count ?? 1;
  const scopes = mailboxSendScopes(input.mailboxId);
  const windows = sendWindows(now);
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `WITH mb AS (
       SELECT "sendPerMinute" AS pm, "sendPerDay" AS pd FROM "Mailbox"
       WHERE id = $1 AND "tenantId" = $2 AND status = 'active'
     ), minute AS (
       INSERT INTO "RateLimitCounter" (scope, "windowStart", "tenantId", count, "expiresAt")
       SELECT $3, $4::timestamp, $2, $9::int, $5::timestamp FROM mb WHERE mb.pm >= $9::int
       ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + $9::int
       WHERE "RateLimitCounter".count + $9::int <= (SELECT pm FROM mb)
       RETURNING count
     ), day AS (
       INSERT INTO "RateLimitCounter" (scope, "windowStart", "tenantId", count, "expiresAt")
       SELECT $6, $7::timestamp, $2, $9::int, $8::timestamp FROM mb WHERE mb.pd >= $9::int
       ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + $9::int
       WHERE "RateLimitCounter".count + $9::int <= (SELECT pd FROM mb)
       RETURNING count
     )
     SELECT (SELECT pm FROM mb) AS pm, (SELECT pd FROM mb) AS pd,
            (SELECT count FROM minute) AS minute, (SELECT count FROM day) AS day`,
    input.mailboxId,
    input.tenantId,
    scopes.minute,
    iso(windows.minute),
    iso(windows.minute + 2 * MINUTE_MS),
    scopes.day,
    iso(windows.day),
    iso(windows.day + 2 * DAY_MS),
    n,
  );
  const row = rows[0];
  if (!row || row.pm === null || row.pd === null) {
    throw new ApiError("mailbox_suspended", "This mailbox is suspended and cannot send");
  }
  const minute: WindowState = { limit: row.pm, used: row.pm, windowMs: MINUTE_MS, windowStart: windows.minute, now };
  const day: WindowState = { limit: row.pd, used: row.pd, windowMs: DAY_MS, windowStart: windows.day, now };
  const minuteFull = row.minute === null;
  const dayFull = row.day === null;
  if (dayFull || minuteFull) {
    // When both are exhausted the day decides the wait: retrying after a minute would fail again.
    const [policy, state] = dayFull ? (["mailbox-day", day] as const) : (["mailbox-minute", minute] as const);
    throw new ApiError(
      "rate_limited",
      dayFull
        ? `This mailbox has reached its limit of ${row.pd} sends per day`
        : `This mailbox has reached its limit of ${row.pm} sends per minute`,
      { limit: { policy, limit: state.limit, windowSeconds: state.windowMs / 1000 } },
      exceededHeaders(policy, state),
    );
  }
  return { minuteUsed: Number(row.minute), dayUsed: Number(row.day), perMinute: row.pm, perDay: row.pd };
}
