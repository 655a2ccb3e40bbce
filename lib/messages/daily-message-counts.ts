import "server-only";
import { getPool } from "@/lib/db";

export type DailyCount = { day: string; sent: number; received: number };

const DAY_MS = 86_400_000;

/**
 * Messages sent and received per UTC day for the last `days` days (today included,
 * oldest first, days without mail as zeros), for a tenant or one of its mailboxes.
 */
export async function dailyMessageCounts(input: { tenantId: string; mailboxId?: string; days: number }, now = Date.now()): Promise<DailyCount[]> {
  const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const since = new Date(todayStart - (input.days - 1) * DAY_MS);
  const params: unknown[] = [input.tenantId, since.toISOString().replace("T", " ").replace("Z", "")];
  let mailboxClause = "";
  if (input.mailboxId) {
    params.push(input.mailboxId);
    mailboxClause = `AND "mailboxId" = $3`;
  }
  // createdAt is a UTC "timestamp without time zone"; the day is its UTC date. Sends held
  // for approval or rejected were not sent (yet): they are not counted.
  const { rows } = await getPool().query<{ day: string; direction: "inbound" | "outbound"; n: number }>(
    `SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, direction::text AS direction, count(*)::int AS n
     FROM "Message" WHERE "tenantId" = $1 AND "createdAt" >= $2::timestamp ${mailboxClause}
       AND status NOT IN ('pending_approval', 'rejected')
     GROUP BY 1, 2`,
    params,
  );
  const series: DailyCount[] = [];
  for (let i = 0; i < input.days; i++) {
    series.push({ day: new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10), sent: 0, received: 0 });
  }
  for (const r of rows) {
    const entry = series.find((d) => d.day === r.day);
    if (!entry) continue;
    if (r.direction === "outbound") entry.sent += r.n;
    else entry.received += r.n;
  }
  return series;
}
