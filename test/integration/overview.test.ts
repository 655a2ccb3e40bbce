// The overview's "needs attention" items and its mail-per-day series, per tenant.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { dailyMessageCounts } from "@/lib/messages/daily-message-counts";
import { addSuppression } from "@/lib/suppression/add-suppression";
import { getOverview } from "@/lib/tenants/get-overview";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestKey, createTestMailbox, createTestTenant } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

const DAY = 86_400_000;

describe("getOverview", () => {
  it("is quiet for a fresh tenant, with 14 zero days ending today", async () => {
    const tenant = await createTestTenant();
    const overview = await getOverview({ tenantId: tenant.id });
    expect(overview.attention).toEqual({
      failedSends: [],
      failedSendsTotal: 0,
      suppressionsAdded: [],
      expiringKeys: [],
      pendingDomains: [],
      failingWebhookEndpoints: [],
      pendingApprovals: 0,
    });
    expect(overview.daily).toHaveLength(14);
    expect(overview.daily[13]).toEqual({ day: new Date().toISOString().slice(0, 10), sent: 0, received: 0 });
  });

  it("lists failed sends of the last day, new suppressions, keys expiring within 7 days and pending domains, and nothing of another tenant", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id, "ops");
    const otherBox = await createTestMailbox(other.id, "ops");
    const db = getDb();

    // A bounced send (the row as the delivery webhook leaves it) and an older failure that no longer counts.
    const { message: bounced } = await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent({ subject: "Your order" }) });
    await db.message.update({ where: { id: bounced.id }, data: { direction: "outbound", status: "bounced", statusReason: "550 mailbox unavailable" } });
    const { message: old } = await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent() });
    await db.$executeRaw`UPDATE "Message" SET direction = 'outbound', status = 'failed', "updatedAt" = now() - interval '2 days' WHERE id = ${old.id}`;
    const { message: foreign } = await storeInboundMessage({ tenantId: other.id, mailboxId: otherBox.id, content: testContent() });
    await db.message.update({ where: { id: foreign.id }, data: { direction: "outbound", status: "failed" } });

    await addSuppression({ tenantId: tenant.id, mailboxId: mailbox.id, address: "gone@example.org", reason: "bounce" });
    await addSuppression({ tenantId: other.id, mailboxId: otherBox.id, address: "gone@example.org", reason: "bounce" });
    const soon = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read", expiresAt: new Date(Date.now() + 3 * DAY) });
    await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read", expiresAt: new Date(Date.now() + 30 * DAY) });
    const expired = await createTestKey(tenant.id, { management: true, expiresAt: new Date(Date.now() + DAY) });
    await db.apiKey.update({ where: { id: expired.key.id }, data: { expiresAt: new Date(Date.now() - DAY) } });
    await db.domain.create({ data: { id: uuidv7(), tenantId: tenant.id, name: `pending-${uuidv7()}.example.com`, status: "pending" } });
    const since = new Date(Date.now() - 3_600_000);
    const failing = await db.webhookEndpoint.create({ data: { id: uuidv7(), tenantId: tenant.id, url: "https://hooks.example.com/a", secret: "whsec_x", failingSince: since } });
    await db.webhookEndpoint.create({ data: { id: uuidv7(), tenantId: tenant.id, url: "https://hooks.example.com/ok", secret: "whsec_y" } });
    await db.webhookEndpoint.create({ data: { id: uuidv7(), tenantId: other.id, url: "https://hooks.example.com/b", secret: "whsec_z", failingSince: since } });

    const { attention, daily, today } = await getOverview({ tenantId: tenant.id });
    expect(attention.failedSendsTotal).toBe(1);
    expect(attention.failedSends).toMatchObject([
      { id: bounced.id, mailboxId: mailbox.id, mailboxAddress: mailbox.address, threadId: bounced.threadId, subject: "Your order", status: "bounced", reason: "550 mailbox unavailable" },
    ]);
    expect(attention.suppressionsAdded).toEqual([{ mailboxId: mailbox.id, mailboxAddress: mailbox.address, count: 1 }]);
    expect(attention.expiringKeys.map((k) => k.id)).toEqual([soon.key.id]);
    expect(attention.expiringKeys[0]).toMatchObject({ kind: "mailbox", mailboxAddress: mailbox.address });
    expect(attention.pendingDomains.map((d) => d.status)).toEqual(["pending"]);
    expect(attention.failingWebhookEndpoints).toEqual([
      { id: failing.id, url: "https://hooks.example.com/a", failingSince: since.toISOString(), disabledReason: null, href: "/webhooks" },
    ]);
    // Both rows of this tenant were written today; the series counts them by their direction now.
    expect(today).toEqual({ sent: 2, received: 0 });
    expect(daily.reduce((n, d) => n + d.sent + d.received, 0)).toBe(2);
  });
});

describe("dailyMessageCounts", () => {
  it("counts one mailbox's mail per UTC day and leaves days without mail at zero", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    const sibling = await createTestMailbox(tenant.id);
    const now = Date.now();
    const received = [0, 0, 2].map((daysAgo) => new Date(now - daysAgo * DAY));
    for (const at of received) {
      const { message } = await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent() });
      await getDb().message.update({ where: { id: message.id }, data: { createdAt: at } });
    }
    await storeInboundMessage({ tenantId: tenant.id, mailboxId: sibling.id, content: testContent() });
    const series = await dailyMessageCounts({ tenantId: tenant.id, mailboxId: mailbox.id, days: 3 }, now);
    const day = (ago: number) => new Date(now - ago * DAY).toISOString().slice(0, 10);
    expect(series).toEqual([
      { day: day(2), sent: 0, received: 1 },
      { day: day(1), sent: 0, received: 0 },
      { day: day(0), sent: 0, received: 2 },
    ]);
  });
});
