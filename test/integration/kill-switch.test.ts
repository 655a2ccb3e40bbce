// The tenant's kill switch (SPEC §13): PATCH /api/v1/tenant {"sending": "paused"}
// refuses sends and replies with 403 sending_paused, leaves mail queued before the
// pause waiting (not failed, no attempt spent, nothing at the provider), and resuming
// drains the queue. Both directions are audited; only sm_mgmt_ keys may flip it.
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import * as tenantRoute from "@/app/api/v1/tenant/route";
import { getDb } from "@/lib/db";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();

const fake = withFakeResend();
const delivery = { backoffBaseMs: 1, providerTimeoutMs: 5_000, providerCallsPerSecond: 1000 };

type World = Awaited<ReturnType<typeof createTestWorld>>;

function send(world: World, subject: string) {
  return call(messages.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to: ["ann@example.com"], subject, text: "Hi" },
  });
}

function setSending(key: string, sending: string) {
  return call(tenantRoute.PATCH, "PATCH", "/api/v1/tenant", { key, body: { sending } });
}

describe("kill switch", () => {
  it("paused: sends and replies answer 403 sending_paused, queued mail waits untouched; resumed: the queue drains once", async () => {
    const world = await createTestWorld();
    const before = await send(world, "Queued before the pause");
    expect(before.status).toBe(202);

    const paused = await setSending(world.keys.tenant, "paused");
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ id: world.tenant.id, sending: "paused" });
    expect(paused.json.sendingPausedAt).toBeTruthy();

    const refused = await send(world, "Sent while paused");
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("sending_paused");
    const replied = await call(reply.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id, messageId: before.json.id },
      body: { text: "again" },
    });
    expect(replied.status).toBe(403);
    expect(replied.json.error.code).toBe("sending_paused");
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(1);

    // The worker leaves the queued message waiting: no provider call, no attempt, not failed.
    const worker = createOutboxWorker({ backoffBaseMs: 1, delivery, log: () => {} });
    await worker.runOnce();
    await worker.runOnce();
    expect(fake.accepted).toHaveLength(0);
    expect(await getDb().message.findFirstOrThrow({ where: { id: before.json.id } })).toMatchObject({ status: "queued" });
    const held = await getDb().job.findFirstOrThrow({ where: { messageId: before.json.id } });
    expect(held).toMatchObject({ status: "pending", attempts: 0 });
    expect(held.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(await getDb().deliveryAttempt.count({ where: { messageId: before.json.id } })).toBe(0);

    const resumed = await setSending(world.keys.tenant, "active");
    expect(resumed.json).toMatchObject({ sending: "active", sendingPausedAt: null });
    expect(await worker.runOnce()).toBe(1);
    expect(fake.accepted.map((e) => (e.body as { subject: string }).subject)).toEqual(["Queued before the pause"]);
    expect(await getDb().message.findFirstOrThrow({ where: { id: before.json.id } })).toMatchObject({ status: "sent" });
    expect((await send(world, "After resume")).status).toBe(202);

    const audit = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, action: { startsWith: "tenant.sending" } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["tenant.sending_paused", "tenant.sending_resumed"]);
    expect(audit[0].actorType).toBe("key");
  });

  it("only touches its own tenant, and setting the current state again changes nothing", async () => {
    const world = await createTestWorld();
    const other = await createTestWorld();
    await setSending(world.keys.tenant, "paused");
    expect((await setSending(world.keys.tenant, "paused")).status).toBe(200);
    expect((await send(other, "Other tenant")).status).toBe(202);
    const got = await call(tenantRoute.GET, "GET", "/api/v1/tenant", { key: other.keys.tenant });
    expect(got.json.sending).toBe("active");
    expect(await getDb().auditEvent.count({ where: { tenantId: world.tenant.id, action: "tenant.sending_paused" } })).toBe(1);
  });

  it("refuses mailbox keys (403) and bad values (400)", async () => {
    const world = await createTestWorld();
    for (const key of [world.keys.read_write, world.keys.management]) {
      const res = await setSending(key, "paused");
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
    }
    const bad = await setSending(world.keys.tenant, "off");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    expect((await send(world, "Still active")).status).toBe(202);
  });
});
