// The overview page: what needs the admin's attention in one tenant, each item with
// where to act on it, plus mail per day and the tenant's counts.
import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openMessage } from "@/lib/messages/seal-message";
import { dailyMessageCounts } from "@/lib/messages/daily-message-counts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const OVERVIEW_DAYS = 14;
const ATTENTION_ITEMS = 10;

export type OverviewAttention = {
  failedSends: { id: string; mailboxId: string; mailboxAddress: string; threadId: string; subject: string; status: string; reason: string | null; at: string }[];
  failedSendsTotal: number;
  suppressionsAdded: { mailboxId: string; mailboxAddress: string; count: number }[];
  expiringKeys: { id: string; kind: "mailbox" | "tenant"; label: string; mailboxAddress: string | null; expiresAt: string }[];
  pendingDomains: { id: string; name: string; status: string }[];
  /** Webhook endpoints whose deliveries are failing, or that were disabled after failing (SPEC §12). */
  failingWebhookEndpoints: { id: string; url: string; failingSince: string | null; disabledReason: string | null; href: string }[];
  /** Sends held by a mailbox's send policy, waiting for an owner or admin (SPEC §13). */
  pendingApprovals: number;
};

async function failedSends(tenantId: string, since: Date) {
  const db = getDb();
  const where = { tenantId, direction: "outbound" as const, status: { in: ["failed", "bounced", "complained"] as ("failed" | "bounced" | "complained")[] }, updatedAt: { gte: since } };
  const [total, rows] = await Promise.all([
    db.message.count({ where }),
    db.message.findMany({
      where,
      orderBy: { updatedAt: "desc" },
      take: ATTENTION_ITEMS,
      select: { id: true, mailboxId: true, threadId: true, status: true, statusReason: true, updatedAt: true, metaCipher: true },
    }),
  ]);
  const mailboxes = await db.mailbox.findMany({
    where: { tenantId, id: { in: [...new Set(rows.map((r) => r.mailboxId))] }, status: { not: "deleted" } },
    select: { id: true, address: true },
  });
  const items = [];
  for (const r of rows) {
    const mailbox = mailboxes.find((m) => m.id === r.mailboxId);
    if (!mailbox) continue; // a deleted mailbox's mail is unreadable and nothing to act on
    const cipher = await getMailboxCipher(tenantId, r.mailboxId);
    items.push({
      id: r.id,
      mailboxId: r.mailboxId,
      mailboxAddress: mailbox.address,
      threadId: r.threadId,
      subject: openMessage(cipher, r, { full: false }).meta.subject,
      status: r.status,
      reason: r.statusReason,
      at: r.updatedAt.toISOString(),
    });
  }
  return { total, items };
}

export async function getOverview(input: { tenantId: string }, now = Date.now()) {
  const db = getDb();
  const { tenantId } = input;
  const nowDate = new Date(now);
  const activeKey = { tenantId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: nowDate } }] };
  const [activeMailboxes, suspendedMailboxes, mailboxKeys, managementKeys, domains, members, messages] = await Promise.all([
    db.mailbox.count({ where: { tenantId, status: "active" } }),
    db.mailbox.count({ where: { tenantId, status: "suspended" } }),
    db.apiKey.count({ where: { ...activeKey, kind: "mailbox" } }),
    db.apiKey.count({ where: { ...activeKey, kind: "tenant" } }),
    db.domain.count({ where: { tenantId } }),
    db.membership.count({ where: { tenantId } }),
    db.message.count({ where: { tenantId } }),
  ]);
  const [daily, failures, suppressionGroups, expiring, pending, failingEndpoints, pendingApprovals] = await Promise.all([
    dailyMessageCounts({ tenantId, days: OVERVIEW_DAYS }, now),
    failedSends(tenantId, new Date(now - DAY_MS)),
    db.suppression.groupBy({
      by: ["mailboxId"],
      where: { tenantId, createdAt: { gte: new Date(now - 7 * DAY_MS) } },
      _count: { _all: true },
    }),
    db.apiKey.findMany({
      where: { tenantId, revokedAt: null, expiresAt: { gt: nowDate, lte: new Date(now + 7 * DAY_MS) } },
      orderBy: { expiresAt: "asc" },
      take: ATTENTION_ITEMS,
      select: { id: true, kind: true, name: true, prefix: true, last4: true, expiresAt: true, mailbox: { select: { address: true } } },
    }),
    // Any status other than verified waits on the admin (pending, or a failed check).
    db.domain.findMany({
      where: { tenantId, status: { not: "verified" } },
      orderBy: { id: "asc" },
      take: ATTENTION_ITEMS,
      select: { id: true, name: true, status: true },
    }),
    db.webhookEndpoint.findMany({
      where: { tenantId, OR: [{ failingSince: { not: null } }, { enabled: false, disabledReason: { not: null } }] },
      orderBy: { id: "asc" },
      take: ATTENTION_ITEMS,
      select: { id: true, url: true, failingSince: true, disabledReason: true },
    }),
    db.message.count({ where: { tenantId, status: "pending_approval" } }),
  ]);
  const suppressionMailboxes = await db.mailbox.findMany({
    where: { tenantId, id: { in: suppressionGroups.map((g) => g.mailboxId) }, status: { not: "deleted" } },
    select: { id: true, address: true },
  });
  const attention: OverviewAttention = {
    failedSends: failures.items,
    failedSendsTotal: failures.total,
    suppressionsAdded: suppressionGroups.flatMap((g) => {
      const mailbox = suppressionMailboxes.find((m) => m.id === g.mailboxId);
      return mailbox ? [{ mailboxId: g.mailboxId, mailboxAddress: mailbox.address, count: g._count._all }] : [];
    }),
    expiringKeys: expiring.map((k) => ({
      id: k.id,
      kind: k.kind,
      label: `${k.name ? `${k.name} · ` : ""}${k.prefix}…${k.last4}`,
      mailboxAddress: k.mailbox?.address ?? null,
      expiresAt: k.expiresAt!.toISOString(),
    })),
    pendingDomains: pending,
    // The webhooks page (customer events) is where an endpoint is fixed or re-enabled.
    failingWebhookEndpoints: failingEndpoints.map((w) => ({
      id: w.id,
      url: w.url,
      failingSince: w.failingSince?.toISOString() ?? null,
      disabledReason: w.disabledReason,
      href: "/webhooks",
    })),
    pendingApprovals,
  };
  const today = daily[daily.length - 1];
  return {
    counts: { activeMailboxes, suspendedMailboxes, mailboxKeys, managementKeys, domains, members, messages },
    today: { sent: today.sent, received: today.received },
    daily,
    attention,
  };
}
