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
import * as drafts from "@/app/api/v1/mailboxes/[mailboxId]/drafts/route";
import * as sendDraft from "@/app/api/v1/mailboxes/[mailboxId]/drafts/[draftId]/send/route";
import * as lists from "@/app/api/v1/mailboxes/[mailboxId]/lists/[direction]/[kind]/route";
import * as tenantRoute from "@/app/api/v1/tenant/route";
import * as suppressions from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/route";
import * as usage from "@/app/api/v1/mailboxes/[mailboxId]/usage/route";
import { getDb } from "@/lib/db";
import { eventTypeSchema } from "@/lib/events/types";
import { uuidv7 } from "@/lib/ids";
import { newWebhookSecret } from "@/lib/webhooks/manage-webhooks";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { approveHeldMessage } from "@/lib/outbound/approve-message";
import { DELIVER_JOB } from "@/lib/outbound/deliver-message";
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

    // A sm_mgmt_ key's send is held the same way (its mailbox is looked up with the policy).
    const second = await call(messages.POST, "POST", "/x", {
      key: world.keys.tenant,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["bo@example.com"], subject: "Also not", text: "Hi" },
    });
    expect(second.json.status).toBe("pending_approval");
    const bare = await decide(reject, world, second.json.id, world.keys.tenant);
    expect(bare.status).toBe(200);
    expect(bare.json.status).toBe("rejected");

    const tooLong = await decide(reject, world, second.json.id, world.keys.tenant, { reason: "x".repeat(1001) });
    expect(tooLong.status).toBe(400);

    // The optional body: empty with a JSON Content-Type is fine; broken JSON or another type is a 400.
    const third = await send(world, { to: ["cy@example.com"], subject: "Third" });
    const raw = (rawBody: string, type?: string) =>
      call(reject.POST, "POST", "/x", {
        key: world.keys.management,
        params: { mailboxId: world.mailbox.id, messageId: third.json.id },
        rawBody,
        headers: type ? { "content-type": type } : {},
      });
    expect((await raw("{", "application/json")).status).toBe(400);
    const plain = await raw("reason", "text/plain");
    expect(plain.status).toBe(400);
    expect(plain.json.error.code).toBe("validation_error");
    const emptyJson = await raw("", "application/json");
    expect(emptyJson.status).toBe(200);
    expect(emptyJson.json.status).toBe("rejected");

    await worker().runOnce();
    expect(fake.accepted).toHaveLength(0);
    expect(await eventTypes(world)).toEqual(["message.pending_approval", "message.rejected", "message.pending_approval", "message.rejected", "message.pending_approval", "message.rejected"]);
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

  it("approval re-checks the kill switch, the send lists and the limits at that moment; each refusal leaves it waiting", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const one = await send(world, { to: ["ann@evil.test"], subject: "One" });
    const two = await send(world, { to: ["bo@example.com"], subject: "Two" });
    const three = await send(world, { to: ["cy@example.com"], subject: "Three" });
    const approveAs = (id: string) => decide(approve, world, id, world.keys.management);

    await call(tenantRoute.PATCH, "PATCH", "/api/v1/tenant", { key: world.keys.tenant, body: { sending: "paused" } });
    const paused = await approveAs(one.json.id);
    expect(paused.status).toBe(403);
    expect(paused.json.error.code).toBe("sending_paused");
    await call(tenantRoute.PATCH, "PATCH", "/api/v1/tenant", { key: world.keys.tenant, body: { sending: "active" } });

    const suspend = (status: string) =>
      call(mailboxRoute.PATCH, "PATCH", "/x", { key: world.keys.tenant, params: { mailboxId: world.mailbox.id }, body: { status } });
    expect((await suspend("suspended")).status).toBe(200);
    const suspended = await decide(approve, world, one.json.id, world.keys.tenant);
    expect(suspended.status).toBe(403);
    expect(suspended.json.error.code).toBe("mailbox_suspended");
    expect((await suspend("active")).status).toBe(200);

    const blocked = await call(lists.POST, "POST", "/x", {
      key: world.keys.management,
      params: { mailboxId: world.mailbox.id, direction: "send", kind: "block" },
      body: { entry: "@evil.test" },
    });
    expect(blocked.status).toBe(201);
    const notAllowed = await approveAs(one.json.id);
    expect(notAllowed.status).toBe(422);
    expect(notAllowed.json.error.code).toBe("recipient_not_allowed");

    // One send a day: the first approval uses it, the next is 429 and waits.
    await call(mailboxRoute.PATCH, "PATCH", "/x", { key: world.keys.management, params: { mailboxId: world.mailbox.id }, body: { limits: { sendPerDay: 1 } } });
    expect((await approveAs(two.json.id)).status).toBe(200);
    const limited = await approveAs(three.json.id);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe("rate_limited");
    expect(limited.headers.get("retry-after")).toBeTruthy();

    const statuses = await getDb().message.findMany({ where: { tenantId: world.tenant.id }, orderBy: { id: "asc" }, select: { status: true } });
    expect(statuses.map((m) => m.status)).toEqual(["pending_approval", "queued", "pending_approval"]);
    expect(await getDb().job.count({ where: { tenantId: world.tenant.id, kind: DELIVER_JOB } })).toBe(1);
  });

  it("an edited approval sends the edited message to the edited recipients", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const held = await send(world, { to: ["wrong@example.com"], subject: "Draft wording", text: "First try" });
    await approveHeldMessage({
      tenantId: world.tenant.id,
      mailboxId: world.mailbox.id,
      messageId: held.json.id,
      actor: { type: "system", label: "test" },
      edits: { to: ["right@example.com"], subject: "Final wording", text: "Checked by a person" },
    });
    await worker().runOnce();
    expect(fake.accepted).toHaveLength(1);
    expect(fake.accepted[0].body).toMatchObject({ to: ["right@example.com"], subject: "Final wording", text: "Checked by a person" });
  });

  it("webhooks filtered to the approval events get one delivery per event", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const eventTypes = ["message.pending_approval", "message.approved", "message.rejected"].map((t) => eventTypeSchema.parse(t));
    const endpoint = await getDb().webhookEndpoint.create({
      data: { id: uuidv7(), tenantId: world.tenant.id, url: "https://hooks.example.com/approvals", eventTypes, secret: newWebhookSecret() },
    });
    const a = await send(world, { to: ["ann@example.com"], subject: "A" });
    const b = await send(world, { to: ["bo@example.com"], subject: "B" });
    await decide(approve, world, a.json.id, world.keys.management);
    await decide(reject, world, b.json.id, world.keys.management, { reason: "no" });
    const deliveries = await getDb().webhookDelivery.findMany({ where: { endpointId: endpoint.id }, orderBy: { eventId: "asc" } });
    expect(deliveries.map((d) => d.eventType)).toEqual(["message.pending_approval", "message.pending_approval", "message.approved", "message.rejected"]);
  });

  it("a sent draft is held like any send, and the draft is gone", async () => {
    const world = await createTestWorld();
    await setPolicy(world, "approval");
    const draft = await call(drafts.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "From a draft", text: "Hi" },
    });
    expect(draft.status).toBe(201);
    const sent = await call(sendDraft.POST, "POST", "/x", { key: world.keys.read_write, params: { mailboxId: world.mailbox.id, draftId: draft.json.id }, body: {} });
    expect(sent.status).toBe(202);
    expect(sent.json.status).toBe("pending_approval");
    expect(await getDb().job.count({ where: { messageId: sent.json.id } })).toBe(0);
    const listed = await call(drafts.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(listed.json.data).toEqual([]);
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
    // A send that only waited made nobody known: Dave still waits.
    expect((await send(world, { to: ["dave@example.org"], subject: "Dave alone" })).json.status).toBe("pending_approval");

    const w = worker();
    while ((await w.runOnce()) > 0);
    expect(fake.accepted.map((e) => (e.body as { subject: string }).subject).sort()).toEqual(["Again, Bob", "Carol again", "Hello Carol", "Re: Quarterly invoice"].sort());
  });
});
