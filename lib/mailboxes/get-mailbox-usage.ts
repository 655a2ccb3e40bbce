import "server-only";
import { getDb } from "@/lib/db";
import { windowStart } from "@/lib/limits/fixed-window";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Limits and what is used: sends counted in the current minute and UTC day (the
 * `mailbox:<id>:minute|day` fixed-window counters the send path writes), and storage.
 */
export async function getMailboxUsage(input: { tenantId: string; mailboxId: string }, now = Date.now()) {
  const { tenantId, mailboxId } = input;
  const mailbox = await getMailboxOrThrow({ tenantId, id: mailboxId });
  const db = getDb();
  const minuteStart = windowStart(now, MINUTE_MS);
  const dayStart = windowStart(now, DAY_MS);
  // The scope names the mailbox, which withApiKey has already resolved within the tenant.
  const counter = (scope: string, start: number) =>
    db.rateLimitCounter.findFirst({ where: { scope, windowStart: new Date(start) }, select: { count: true } });
  const [minute, day, messages, attachments] = await Promise.all([
    counter(`mailbox:${mailboxId}:minute`, minuteStart),
    counter(`mailbox:${mailboxId}:day`, dayStart),
    db.message.aggregate({ where: { tenantId, mailboxId }, _count: { _all: true }, _sum: { sizeBytes: true } }),
    db.attachment.count({ where: { tenantId, mailboxId } }),
  ]);
  return {
    mailboxId,
    limits: { sendPerMinute: mailbox.sendPerMinute, sendPerDay: mailbox.sendPerDay },
    used: { sentThisMinute: minute?.count ?? 0, sentToday: day?.count ?? 0 },
    resets: { minute: new Date(minuteStart + MINUTE_MS).toISOString(), day: new Date(dayStart + DAY_MS).toISOString() },
    storage: { messages: messages._count._all, attachments, bytes: messages._sum.sizeBytes ?? 0 },
  };
}
