// Send policy and human approval (SPEC §13): a held send answers 202 pending_approval,
// reaches no provider and consumes no limit; only a management role approves or
// rejects it; approval re-checks suppression and limits and queues it exactly once;
// approval_new_recipients holds only first contacts. Real Postgres, the real resend
// SDK against the fake Resend, the real outbox worker.
import { describe, expect, it } from "vitest";
import * as mailboxRoute from "@/app/api/v1/mailboxes/[mailboxId]/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as approve from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/approve/route";
import * as reject from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reject/route";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import * as suppressions from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/route";
import * as usage from "@/app/api/v1/mailboxes/[mailboxId]/usage/route";
import { getDb } from "@/lib/db";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();

const fake = withFakeResend();
const delivery = { backoffBaseMs: 1, providerTimeoutMs: 5_000, providerCallsPerSecond: 1000 };

type World = Awaited<ReturnType<typeof createTestWorld>>;

function worker() {
  return createOutboxWorker({ backoffBaseMs: 1, delivery, log: () => {} });
}

function setPolicy(world: World, sendPolicy: string, key = world.keys.management) {
  return call(mailboxRoute.PATCH, "PATCH", `/api/v1/mailboxes/${world.mailbox.id}`, { key, params: { mailboxId: world.mailbox.id }, body: { sendPolicy } });
}

function send(world: World, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call(messages.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { text: "Hi", ...body },
    headers,
  });
}

function decide(route: typeof approve | typeof reject, world: World, messageId: string, key: string, body?: unknown) {
  return call(route.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${messageId}/x`, {
    key,
    params: { mailboxId: world.mailbox.id, messageId },
    ...(body !== undefined ? { body } : {}),
  });
}

async function eventTypes(world: World) {
  const rows = await getDb().event.findMany({ where: { tenantId: world.tenant.id, type: { startsWith: "message." } }, orderBy: { id: "asc" } });
  return rows.map((e) => e.type);
}

describe("send policy", () => {
  it("is open by default, settable by a management key (audited), never by read_write", async () => {
    const world = await createTestWorld();
    const got = await call(mailboxRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(got.json.sendPolicy).toBe("open");
    const denied = await setPolicy(world, "approval", world.keys.read_write);
    expect(denied.status).toBe(403);
    const bad = await setPolicy(world, "sometimes");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    const set = await setPolicy(world, "approval");
    expect(set.status).toBe(200);
    expect(set.json.sendPolicy).toBe("approval");
    const audit = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, action: "mailbox.send_policy_changed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toMatchObject({ from: "open", to: "approval" });
  });
});

describe("approval", () => {
  it("holds a read_write send (202 pending_approval, nothing at the provider, no limit used); read_write cannot approve; management approves → delivered once", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const usageBefore = await call(usage.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });

    const held = await send(world, { to: ["ann@example.com"], subject: "Held for a person" }, { "idempotency-key": "held-1" });
    expect(held.status).toBe(202);
    expect(held.json.status).toBe("pending_approval");
    // The same Idempotency-Key replays the same answer, no second message.
    const again = await send(world, { to: ["ann@example.com"], subject: "Held for a person" }, { "idempotency-key": "held-1" });
    expect(again.status).toBe(202);
    expect(again.json.id).toBe(held.json.id);
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(1);

    const w = worker();
    await w.runOnce();
    await new Promise((r) => setTimeout(r, 300));
    await w.runOnce();
    expect(fake.accepted).toHaveLength(0);
    expect(await getDb().job.count({ where: { messageId: held.json.id } })).toBe(0);
    const usageHeld = await call(usage.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(usageHeld.json.used).toEqual({ sentThisMinute: 0, sentToday: 0 });
    expect(usageBefore.json.used).toEqual({ sentThisMinute: 0, sentToday: 0 });

    // The agent sees the status in lists too.
    const listed = await call(messages.GET, "GET", `/api/v1/mailboxes/${world.mailbox.id}/messages`, { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(listed.json.data[0]).toMatchObject({ id: held.json.id, status: "pending_approval" });

    for (const key of [world.keys.read, world.keys.read_write]) {
      const denied = await decide(approve, world, held.json.id, key);
      expect(denied.status).toBe(403);
      expect(denied.json.error.code).toBe("forbidden");
      expect((await decide(reject, world, held.json.id, key, {})).status).toBe(403);
    }

    // Two approvals at once: one wins, the other is 409; one delivery.
    const [a, b] = await Promise.all([decide(approve, world, held.json.id, world.keys.management), decide(approve, world, held.json.id, world.keys.tenant)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.error.code).toBe("not_pending_approval");
    expect((a.status === 200 ? a : b).json.status).toBe("queued");
    const usageApproved = await call(usage.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(usageApproved.json.used).toEqual({ sentThisMinute: 1, sentToday: 1 });

    expect(await w.runOnce()).toBe(1);
    await w.runOnce();
    expect(fake.accepted).toHaveLength(1);
    expect((fake.accepted[0].body as { subject: string }).subject).toBe("Held for a person");
    const after = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: held.json.id } });
    expect(after.json.status).toBe("sent");

    const late = await decide(approve, world, held.json.id, world.keys.management);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("not_pending_approval");

    expect(await eventTypes(world)).toEqual(["message.pending_approval", "message.approved", "message.sent"]);
    const audit = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, action: "message.approved" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].targetId).toBe(held.json.id);
  });

  it("a rejected message never goes out and carries the reason; a body-less reject works too", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const held = await send(world, { to: ["ann@example.com"], subject: "Not this one" });
    const rejected = await decide(reject, world, held.json.id, world.keys.management, { reason: "Wrong customer" });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toMatchObject({ status: "rejected", statusReason: "Rejected: Wrong customer" });
    expect((await decide(approve, world, held.json.id, world.keys.management)).json.error.code).toBe("not_pending_approval");
    expect((await decide(reject, world, held.json.id, world.keys.management, {})).status).toBe(409);

    const second = await send(world, { to: ["bo@example.com"], subject: "Also not" });
    const bare = await decide(reject, world, second.json.id, world.keys.tenant);
    expect(bare.status).toBe(200);
    expect(bare.json.status).toBe("rejected");

    const tooLong = await decide(reject, world, second.json.id, world.keys.tenant, { reason: "x".repeat(1001) });
    expect(tooLong.status).toBe(400);

    await worker().runOnce();
    expect(fake.accepted).toHaveLength(0);
    expect(await eventTypes(world)).toEqual(["message.pending_approval", "message.rejected", "message.pending_approval", "message.rejected"]);
  });

  it("approval re-checks suppression at that moment: suppressed since → 422, still waiting, never sent", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const held = await send(world, { to: ["gone@example.com"], subject: "Suppressed later" });
    expect(held.json.status).toBe("pending_approval");
    const added = await call(suppressions.POST, "POST", "/x", { key: world.keys.management, params: { mailboxId: world.mailbox.id }, body: { address: "gone@example.com" } });
    expect(added.status).toBe(201);
    const refused = await decide(approve, world, held.json.id, world.keys.management);
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe("recipient_suppressed");
    expect(refused.json.error.suppressed).toEqual(["gone@example.com"]);
    const row = await getDb().message.findFirstOrThrow({ where: { id: held.json.id } });
    expect(row.status).toBe("pending_approval");
    expect(await getDb().job.count({ where: { messageId: held.json.id } })).toBe(0);
    await worker().runOnce();
    expect(fake.accepted).toHaveLength(0);
    expect(await eventTypes(world)).toEqual(["message.pending_approval"]);
  });

  it("a message of another mailbox or tenant is 404 to approve", async () => {
    const world = await createTestWorld();
    const other = await createTestWorld();
    await setPolicy(world, "approval");
    const held = await send(world, { to: ["ann@example.com"], subject: "Mine" });
    const res = await call(approve.POST, "POST", "/x", { key: other.keys.tenant, params: { mailboxId: other.mailbox.id, messageId: held.json.id } });
    expect(res.status).toBe(404);
    expect((await getDb().message.findFirstOrThrow({ where: { id: held.json.id } })).status).toBe("pending_approval");
  });
});

describe("approval_new_recipients", () => {
  it("a reply to someone who wrote first goes straight out; a first contact waits; once approved, that address is known", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval_new_recipients");
    const { message } = await storeInboundMessage({
      tenantId: world.tenant.id,
      mailboxId: world.mailbox.id,
      content: testContent({ from: { address: "Bob@Example.org", name: "Bob" }, to: [{ address: world.mailbox.address, name: null }], cc: [{ address: "carol@example.org", name: null }] }),
    });
    const replied = await call(reply.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id, messageId: message.id },
      body: { text: "Thanks Bob" },
    });
    expect(replied.status).toBe(202);
    expect(replied.json.status).toBe("queued");

    // Carol was only copied on Bob's mail: she never wrote to this mailbox.
    const toCarol = await send(world, { to: ["carol@example.org"], subject: "Hello Carol" });
    expect(toCarol.json.status).toBe("pending_approval");
    const mixed = await send(world, { to: ["bob@example.org", "dave@example.org"], subject: "Bob and Dave" });
    expect(mixed.json.status).toBe("pending_approval");
    const toBob = await send(world, { to: ["BOB@example.org"], subject: "Again, Bob" });
    expect(toBob.json.status).toBe("queued");

    expect((await decide(approve, world, toCarol.json.id, world.keys.management)).status).toBe(200);
    const secondToCarol = await send(world, { to: ["carol@example.org"], subject: "Carol again" });
    expect(secondToCarol.json.status).toBe("queued");

    const w = worker();
    while ((await w.runOnce()) > 0);
    expect(fake.accepted.map((e) => (e.body as { subject: string }).subject).sort()).toEqual(["Again, Bob", "Carol again", "Hello Carol", "Re: Quarterly invoice"].sort());
  });
});
