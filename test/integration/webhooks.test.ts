// Customer webhooks (SPEC §12): real deliveries to a receiver on loopback, verified
// with svix's verifier; retries, rotation grace, filters, tenant isolation, rolled
// back events, and the production SSRF policy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "svix";
import { getDb } from "@/lib/db";
import { recordEvent } from "@/lib/events/record-event";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { overridePrivateTargets } from "@/lib/webhooks/target-policy";
import * as webhooksRoute from "@/app/api/v1/webhooks/route";
import * as webhookRoute from "@/app/api/v1/webhooks/[webhookId]/route";
import * as rotateRoute from "@/app/api/v1/webhooks/[webhookId]/rotate-secret/route";
import * as deliveriesRoute from "@/app/api/v1/webhooks/[webhookId]/deliveries/route";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";
import { WebhookReceiver, type Received } from "@/test/helpers/webhook-receiver";

setupTestDatabase();

const worker = createOutboxWorker({ webhooks: { retryScheduleMs: [0, 0, 0, 0, 0, 0, 0] } });
const receiver = new WebhookReceiver();
let receiverUrl = "";

beforeAll(async () => {
  overridePrivateTargets(true);
  receiverUrl = await receiver.start(3445);
});
afterAll(async () => {
  overridePrivateTargets(undefined);
  await receiver.stop();
});

/** Runs the worker until no job is due. */
async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await worker.runOnce()) === 0) return;
}

function verify(secret: string, r: Received): Record<string, unknown> {
  return new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  }) as Record<string, unknown>;
}

async function createEndpoint(key: string, body: Record<string, unknown>) {
  const res = await call(webhooksRoute.POST, "POST", "/api/v1/webhooks", { key, body });
  expect(res.status).toBe(201);
  return res.json as { id: string; secret: string };
}

describe("customer webhooks", () => {
  it("delivers a signed event at least once: 500, 500, 200 gives one success after three logged attempts", async () => {
    const world = await createTestWorld();
    const endpoint = await createEndpoint(world.keys.tenant, { url: receiverUrl, eventTypes: ["message.received"] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    // The secret is shown once: reading the endpoint again never returns it.
    const fetched = await call(webhookRoute.GET, "GET", `/api/v1/webhooks/${endpoint.id}`, { key: world.keys.tenant, params: { webhookId: endpoint.id } });
    expect(fetched.status).toBe(200);
    expect(fetched.json.secret).toBeUndefined();

    receiver.received.length = 0;
    receiver.respondWith([500, 500, 200]);
    const { message } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent({ subject: "Secret subject 4411" }) });
    await drain();

    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const r of receiver.received) {
      const payload = verify(endpoint.secret, r);
      expect(payload).toMatchObject({ type: "message.received", tenantId: world.tenant.id, mailboxId: world.mailbox.id, data: { messageId: message.id } });
      expect(payload.id).toBe(r.headers["webhook-id"]);
      expect(r.body).not.toContain("Secret subject");
      expect(r.body).not.toContain("sender@example.org");
    }

    const deliveries = await call(deliveriesRoute.GET, "GET", `/api/v1/webhooks/${endpoint.id}/deliveries`, {
      key: world.keys.tenant,
      params: { webhookId: endpoint.id },
    });
    expect(deliveries.status).toBe(200);
    expect(deliveries.json.data).toHaveLength(1);
    expect(deliveries.json.data[0]).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, eventType: "message.received" });
    const attempts = await getDb().webhookAttempt.findMany({ where: { deliveryId: deliveries.json.data[0].id }, orderBy: { attempt: "asc" } });
    expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it("a rotated secret: both the old and the new secret verify during the grace period, then only the new", async () => {
    const world = await createTestWorld();
    const endpoint = await createEndpoint(world.keys.tenant, { url: receiverUrl });
    const rotated = await call(rotateRoute.POST, "POST", `/api/v1/webhooks/${endpoint.id}/rotate-secret`, {
      key: world.keys.tenant,
      params: { webhookId: endpoint.id },
      body: {},
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(endpoint.secret);
    expect(rotated.json.secretRotatingUntil).not.toBeNull();

    receiver.received.length = 0;
    await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await drain();
    expect(receiver.received).toHaveLength(1);
    expect(verify(endpoint.secret, receiver.received[0])).toMatchObject({ type: "message.received" });
    expect(verify(rotated.json.secret, receiver.received[0])).toMatchObject({ type: "message.received" });

    // After the 24 hours the old secret no longer signs.
    await getDb().webhookEndpoint.update({ where: { id: endpoint.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    receiver.received.length = 0;
    await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await drain();
    expect(receiver.received).toHaveLength(1);
    expect(() => verify(endpoint.secret, receiver.received[0])).toThrow();
    expect(verify(rotated.json.secret, receiver.received[0])).toMatchObject({ type: "message.received" });
  });

  it("message.received reaches endpoints that include the mailbox, not those filtering it out or of another tenant", async () => {
    const world = await createTestWorld();
    const b = await createTestMailbox(world.tenant.id);
    const stranger = await createTestWorld();
    const all = await createEndpoint(world.keys.tenant, { url: `${receiverUrl}?all` });
    const onlyA = await createEndpoint(world.keys.tenant, { url: `${receiverUrl}?a`, mailboxIds: [world.mailbox.id] });
    const onlyB = await createEndpoint(world.keys.tenant, { url: `${receiverUrl}?b`, mailboxIds: [b.id] });
    const sentOnly = await createEndpoint(world.keys.tenant, { url: `${receiverUrl}?sent`, eventTypes: ["message.sent"] });
    // A management mailbox key's endpoint is its own mailbox's.
    const own = await createEndpoint(world.keys.management, { url: `${receiverUrl}?own` });
    await createEndpoint(stranger.keys.tenant, { url: `${receiverUrl}?stranger` });

    receiver.received.length = 0;
    const { message } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await drain();
    expect(receiver.received).toHaveLength(3);
    const byEndpoint = await getDb().webhookDelivery.findMany({ where: { eventType: "message.received", tenantId: { in: [world.tenant.id, stranger.tenant.id] } } });
    expect(byEndpoint.map((d) => d.endpointId).sort()).toEqual([all.id, onlyA.id, own.id].sort());
    expect(byEndpoint.map((d) => d.endpointId)).not.toContain(onlyB.id);
    expect(byEndpoint.map((d) => d.endpointId)).not.toContain(sentOnly.id);
    for (const r of receiver.received) expect(JSON.parse(r.body)).toMatchObject({ tenantId: world.tenant.id, data: { messageId: message.id } });

    // The mailbox key sees its own endpoint only; another mailbox's or the tenant's are not found.
    const list = await call(webhooksRoute.GET, "GET", "/api/v1/webhooks", { key: world.keys.management });
    expect(list.json.data.map((w: { id: string }) => w.id)).toEqual([own.id, onlyA.id]);
    const foreign = await call(webhookRoute.GET, "GET", `/api/v1/webhooks/${onlyB.id}`, { key: world.keys.management, params: { webhookId: onlyB.id } });
    expect(foreign.status).toBe(404);
    const otherTenant = await call(webhookRoute.GET, "GET", `/api/v1/webhooks/${all.id}`, { key: stranger.keys.tenant, params: { webhookId: all.id } });
    expect(otherTenant.status).toBe(404);
    const refused = await call(webhooksRoute.POST, "POST", "/api/v1/webhooks", { key: world.keys.management, body: { url: receiverUrl, mailboxIds: [b.id] } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("validation_error");
  });

  it("an event whose transaction rolls back is never delivered", async () => {
    const world = await createTestWorld();
    await createEndpoint(world.keys.tenant, { url: receiverUrl });
    receiver.received.length = 0;
    await expect(
      getDb().$transaction(async (tx) => {
        await recordEvent(tx, { tenantId: world.tenant.id, mailboxId: world.mailbox.id, type: "mailbox.suspended", data: { mailboxId: world.mailbox.id } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await drain();
    expect(receiver.received).toHaveLength(0);
    expect(await getDb().webhookDelivery.count({ where: { tenantId: world.tenant.id } })).toBe(0);
  });

  it("a 4xx answer is not retried; PATCH enabled:false stops deliveries; a test event is signed too", async () => {
    const world = await createTestWorld();
    const endpoint = await createEndpoint(world.keys.tenant, { url: receiverUrl });
    receiver.received.length = 0;
    receiver.respondWith([410]);
    await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await drain();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = await getDb().webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 410 });

    const { sendTestEvent } = await import("@/lib/webhooks/manage-webhooks");
    await sendTestEvent({ tenantId: world.tenant.id, ownMailboxId: null }, endpoint.id);
    await drain();
    expect(verify(endpoint.secret, receiver.received[1])).toMatchObject({ type: "webhook.test" });

    const off = await call(webhookRoute.PATCH, "PATCH", `/api/v1/webhooks/${endpoint.id}`, {
      key: world.keys.tenant,
      params: { webhookId: endpoint.id },
      body: { enabled: false },
    });
    expect(off.json).toMatchObject({ enabled: false });
    receiver.received.length = 0;
    await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await drain();
    expect(receiver.received).toHaveLength(0);
  });

  it("an endpoint failing for 5 days is disabled and says why", async () => {
    const world = await createTestWorld();
    const endpoint = await createEndpoint(world.keys.tenant, { url: receiverUrl });
    await getDb().webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(Date.now() - 5 * 24 * 3600_000 - 1000) } });
    receiver.respondWith([503, 503, 503, 503, 503, 503, 503, 503]);
    await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    await worker.runOnce();
    const got = await call(webhookRoute.GET, "GET", `/api/v1/webhooks/${endpoint.id}`, { key: world.keys.tenant, params: { webhookId: endpoint.id } });
    expect(got.json.enabled).toBe(false);
    expect(got.json.disabledReason).toMatch(/5 days/);
    await drain();
    receiver.respondWith([]);
  });

  it("production refuses endpoints on loopback or private addresses, at creation and at delivery", async () => {
    const world = await createTestWorld();
    // Created while private targets are allowed (development), delivered in production.
    const endpoint = await createEndpoint(world.keys.tenant, { url: receiverUrl });
    overridePrivateTargets(false);
    try {
      for (const url of ["https://127.0.0.1/hooks", "https://10.1.2.3/hooks", "https://localhost/hooks", "https://[::1]/hooks", "https://169.254.169.254/latest", "http://example.com/hooks"]) {
        const res = await call(webhooksRoute.POST, "POST", "/api/v1/webhooks", { key: world.keys.tenant, body: { url } });
        expect(res.status, url).toBe(400);
        expect(res.json.error.details[0].path).toBe("url");
      }
      receiver.received.length = 0;
      await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
      await worker.runOnce();
      expect(receiver.received).toHaveLength(0);
      const [delivery] = await getDb().webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      expect(delivery.lastError).toMatch(/must be https|private, loopback/);
    } finally {
      overridePrivateTargets(true);
    }
  });
});
