// The event log (SPEC §12): written in the transaction of the change it reports,
// ids increasing per tenant with no gaps, mail-naming data encrypted at rest.
import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { recordEvent } from "@/lib/events/record-event";
import { announceExpiringKeys, pruneEvents } from "@/lib/events/event-housekeeping";
import { listExpiringKeys } from "@/lib/keys/list-expiring-keys";
import { readEvents } from "@/lib/events/read-events";
import { revokeKey } from "@/lib/keys/issue-key";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { applyResendEvent } from "@/lib/outbound/apply-delivery-event";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestKey, createTestMailbox, createTestTenant, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

describe("event log", () => {
  it("records mailbox, key and message events with per-tenant ids in commit order", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await createTestMailbox(other.id);
    const key = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read" });
    const { message } = await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent({ subject: "Canary subject 7731" }) });
    await revokeKey({ keyId: key.key.id, tenantId: tenant.id, actor: TEST_ACTOR });
    await setMailboxStatus({ tenantId: tenant.id, mailboxId: mailbox.id, status: "suspended", actor: TEST_ACTOR });

    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ["1", "mailbox.created"],
      ["2", "message.received"],
      ["3", "key.revoked"],
      ["4", "mailbox.suspended"],
    ]);
    expect(events[1]).toMatchObject({ tenantId: tenant.id, mailboxId: mailbox.id, data: { messageId: message.id, threadId: message.threadId, direction: "inbound", status: "received" } });
    expect(events[2].data).toMatchObject({ keyId: key.key.id, role: "read" });
    // The other tenant counts from 1 on its own and sees none of these.
    const theirs = await readEvents({ tenantId: other.id, after: 0n, limit: 100 });
    expect(theirs.map((e) => [e.id, e.type])).toEqual([["1", "mailbox.created"]]);

    // The message event's data is ciphertext at rest; no plaintext id or subject in the row.
    const { rows } = await getPool().query(`SELECT data, "dataCipher" FROM "Event" WHERE "tenantId" = $1 AND id = 2`, [tenant.id]);
    expect(rows[0].data).toBeNull();
    expect(Buffer.from(rows[0].dataCipher).toString("latin1")).not.toContain(message.id);
  });

  it("a rolled-back transaction leaves no event and no gap", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await expect(
      getDb().$transaction(async (tx) => {
        await recordEvent(tx, { tenantId: tenant.id, mailboxId: mailbox.id, type: "mailbox.suspended", data: { mailboxId: mailbox.id } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await setMailboxStatus({ tenantId: tenant.id, mailboxId: mailbox.id, status: "suspended", actor: TEST_ACTOR });
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ["1", "mailbox.created"],
      ["2", "mailbox.suspended"],
    ]);
  });

  it("concurrent writers of one tenant get distinct consecutive ids", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        getDb().$transaction((tx) => recordEvent(tx, { tenantId: tenant.id, mailboxId: mailbox.id, type: "mailbox.suspended", data: {} })),
      ),
    );
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it("a deleted mailbox's events keep ids and type, and mailbox.deleted is recorded", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read_write" });
    await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent() });
    await deleteMailbox({ tenantId: tenant.id, mailboxId: mailbox.id, actor: TEST_ACTOR });
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => e.type)).toEqual(["mailbox.created", "message.received", "key.revoked", "mailbox.deleted"]);
    // Crypto-shredded: the message event can no longer be read.
    expect(events[1].data).toEqual({});
    expect(events[2].data).toMatchObject({ reason: "mailbox_deleted" });
  });

  it("announces key.expiring 7 days and 1 day before expiry, once each", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    const expiresAt = new Date(Date.now() + 5 * 24 * 3600_000);
    const key = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read", expiresAt });
    const soon = await createTestKey(tenant.id, { management: true, expiresAt: new Date(Date.now() + 2 * 3600_000) });
    await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read", expiresAt: new Date(Date.now() + 30 * 24 * 3600_000) });
    const expiring = async () =>
      (await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 })).filter((e) => e.type === "key.expiring").map((e) => [e.data.keyId, e.data.days]);

    // The overview's list: keys expiring within 7 days, soonest first (not the 30-day one).
    expect((await listExpiringKeys({ tenantId: tenant.id })).map((k) => k.id)).toEqual([soon.key.id, key.key.id]);

    await announceExpiringKeys();
    await announceExpiringKeys();
    // The 2-hour key is already within a day: only its 1-day notice.
    expect(await expiring()).toEqual(expect.arrayContaining([[key.key.id, 7], [soon.key.id, 1]]));
    expect(await expiring()).toHaveLength(2);
    // 12 hours before the first key expires.
    const later = new Date(expiresAt.getTime() - 12 * 3600_000);
    await announceExpiringKeys(later);
    await announceExpiringKeys(later);
    expect(await expiring()).toHaveLength(3);
    expect((await expiring())[2]).toEqual([key.key.id, 1]);
    const [event] = (await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 })).filter((e) => e.data.keyId === key.key.id);
    expect(event).toMatchObject({ mailboxId: mailbox.id, data: { role: "read", expiresAt: expiresAt.toISOString() } });
  });

  it("keeps events for the retention period only", async () => {
    const tenant = await createTestTenant();
    await createTestMailbox(tenant.id);
    await getPool().query(`UPDATE "Event" SET "createdAt" = now() - interval '31 days' WHERE "tenantId" = $1`, [tenant.id]);
    await createTestMailbox(tenant.id);
    await pruneEvents();
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => e.id)).toEqual(["2"]);
  });

  it("an outbound message's life: sent by the worker, then delivered and bounced by provider events, with its suppression", async () => {
    const world = await createTestWorld();
    const res = await call(messagesRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com", "bob@example.com"], subject: "Hello", text: "Hi" },
    });
    expect(res.status).toBe(202);
    await createOutboxWorker({ log: () => {} }).runOnce();
    const message = await getDb().message.findFirstOrThrow({ where: { id: res.json.id } });
    await getDb().message.update({ where: { id: message.id }, data: { providerMessageId: "re_123" } });
    await applyResendEvent({ webhookId: "msg_1", event: { type: "email.delivered", data: { email_id: "re_123" } } as never });
    await applyResendEvent({ webhookId: "msg_1", event: { type: "email.delivered", data: { email_id: "re_123" } } as never });
    await applyResendEvent({ webhookId: "msg_2", event: { type: "email.bounced", data: { email_id: "re_123", to: ["ann@example.com"], bounce: { type: "Permanent" } } } as never });
    const events = (await readEvents({ tenantId: world.tenant.id, after: 0n, limit: 100 })).filter((e) => e.type.startsWith("message."));
    expect(events.map((e) => e.type)).toEqual(["message.sent", "message.delivered", "message.bounced", "message.suppressed"]);
    expect(events[0].data).toMatchObject({ messageId: message.id, threadId: message.threadId, direction: "outbound", status: "sent", recipientCount: 2 });
    expect(events[3].data).toMatchObject({ messageId: message.id, reason: "bounce", suppressedCount: 1 });
    expect(JSON.stringify(events)).not.toContain("ann@example.com");
  });
});
