import "server-only";
import { getDb } from "@/lib/db";
import { DAY_MS, MINUTE_MS, mailboxSendScopes, sendWindows } from "@/lib/limits/consume-send-limit";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";

/**
 * Limits and what is used: sends counted in the current minute and UTC day (the
 * fixed-window counters the send path consumes), and storage.
 */
export async function getMailboxUsage(input: { tenantId: string; mailboxId: string }, now = Date.now()) {
  const { tenantId, mailboxId } = input;
  const mailbox = await getMailboxOrThrow({ tenantId, id: mailboxId });
  const db = getDb();
  const scopes = mailboxSendScopes(mailboxId);
  const windows = sendWindows(now);
  // The scope names the mailbox, which withApiKey has already resolved within the tenant.
  const counter = (scope: string, start: number) =>
    db.rateLimitCounter.findFirst({ where: { scope, windowStart: new Date(start) }, select: { count: true } });
  const [minute, day, messages, attachments] = await Promise.all([
    counter(scopes.minute, windows.minute),
    counter(scopes.day, windows.day),
    db.message.aggregate({ where: { tenantId, mailboxId }, _count: { _all: true }, _sum: { sizeBytes: true } }),
    db.attachment.count({ where: { tenantId, mailboxId } }),
  ]);
  return {
    mailboxId,
    limits: { sendPerMinute: mailbox.sendPerMinute, sendPerDay: mailbox.sendPerDay },
    used: { sentThisMinute: minute?.count ?? 0, sentToday: day?.count ?? 0 },
    resets: { minute: new Date(windows.minute + MINUTE_MS).toISOString(), day: new Date(windows.day + DAY_MS).toISOString() },
    storage: { messages: messages._count._all, attachments, bytes: messages._sum.sizeBytes ?? 0 },
  };
}
