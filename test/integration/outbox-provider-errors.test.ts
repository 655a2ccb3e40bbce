// The outbox when the provider or the world changes under it, against the real
// `resend` SDK and the fake Resend: Retry-After is honoured and calls are paced
// across workers; a refused API key pauses the outbox (messages stay queued, the
// operator sees why) instead of failing mail; the provider's late word beats our
// own "failed"; a mailbox suspended or a recipient suppressed since the send stops it.
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/lib/db";
import { exportEnv } from "@/lib/env";
import { applyResendEvent } from "@/lib/outbound/apply-delivery-event";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { DELIVER_JOB, deliverMessageJob, deliveryRetryDelayMs, RETRY_STEPS } from "@/lib/outbound/deliver-message";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { addSuppression } from "@/lib/suppression/add-suppression";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();

const fake = withFakeResend();
// A generous timeout: a cold first call on a busy machine must not be taken for a timeout.
const delivery = { backoffBaseMs: 1, providerTimeoutMs: 10_000, providerCallsPerSecond: 1000 };

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function sendOne(world: World, to = "ann@example.com") {
  const res = await call(messages.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to: [to], subject: "Hello", text: "Hi" },
  });
  expect(res.status).toBe(202);
  return res.json.id as string;
}

/** Runs the worker until no job is due or pending; jobs held back for a while are waited for. */
async function drain(worker = createOutboxWorker({ backoffBaseMs: 1, delivery, log: () => {} })) {
  for (let i = 0; i < 400; i++) {
    const ran = await worker.runOnce();
    const left = await getDb().job.count({ where: { status: { in: ["pending", "running"] } } });
    if (left === 0) return;
    if (ran === 0) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the outbox did not drain");
}

const message = (id: string) => getDb().message.findFirstOrThrow({ where: { id } });
const jobOf = (id: string) => getDb().job.findFirstOrThrow({ where: { messageId: id } });
const makeDue = (id: string) => getDb().job.updateMany({ where: { messageId: id }, data: { runAt: new Date(Date.now() - 1000) } });

describe("provider errors", () => {
  it("waits out a 429's Retry-After before the next call", async () => {
    const world = await createTestWorld();
    fake.script({ kind: "status", status: 429, name: "rate_limit_exceeded", message: "Too many requests", headers: { "retry-after": "2" } });
    const id = await sendOne(world);
    await drain();
    expect(fake.requestTimes).toHaveLength(2);
    expect(fake.requestTimes[1] - fake.requestTimes[0]).toBeGreaterThanOrEqual(2_000);
    expect(fake.accepted).toHaveLength(1);
    expect((await message(id)).status).toBe("sent");
  });

  it("paces calls to the provider across workers", async () => {
    const world = await createTestWorld();
    for (let i = 0; i < 4; i++) await sendOne(world);
    const paced = { ...delivery, providerCallsPerSecond: 5 };
    const a = createOutboxWorker({ backoffBaseMs: 1, batchSize: 2, delivery: paced });
    const b = createOutboxWorker({ backoffBaseMs: 1, batchSize: 2, delivery: paced });
    await Promise.all([drain(a), drain(b)]);
    expect(fake.accepted).toHaveLength(4);
    const times = [...fake.requestTimes].sort((x, y) => x - y);
    // Slots are 200 ms apart whichever worker takes them; unpaced, 4 calls take a few ms.
    // (Arrival times carry each call's own overhead, so the bound leaves room for that.)
    expect(times[3] - times[0]).toBeGreaterThanOrEqual(2 * 200);
  });

  it("spreads the retry budget over more than an hour", () => {
    const total = RETRY_STEPS.reduce((sum, _, i) => sum + deliveryRetryDelayMs(i + 1, 30_000, () => 0), 0);
    expect(RETRY_STEPS).toHaveLength(7); // 8 attempts
    expect(total).toBeGreaterThan(60 * 60_000);
  });

  it("pauses the outbox when Resend refuses the API key: messages stay queued and the operator sees why", async () => {
    const world = await createTestWorld();
    exportEnv({ RESEND_API_KEY: "re_revoked_key" });
    const first = await sendOne(world);
    const second = await sendOne(world, "bob@example.com");
    const worker = createOutboxWorker({ backoffBaseMs: 1, delivery: { ...delivery, pauseProbeMs: 60_000 }, log: () => {} });
    await worker.runOnce();
    // Put aside until the next probe: nothing is due now.
    expect(await worker.runOnce()).toBe(0);
    // Nothing failed: both wait, and their attempts were not used up.
    expect((await message(first)).status).toBe("queued");
    expect((await message(second)).status).toBe("queued");
    for (const id of [first, second]) expect(await jobOf(id)).toMatchObject({ status: "pending", attempts: 0 });
    const attempts = await getDb().deliveryAttempt.findMany({ where: { messageId: { in: [first, second] } } });
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.outcome === "paused" && a.httpStatus === 401)).toBe(true);

    const res = await health();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.outbox).toMatchObject({ status: "paused", paused: [{ provider: "resend", reason: expect.stringContaining("401") }] });

    // The operator fixes the key; the next probe goes through and the outbox resumes.
    exportEnv({ RESEND_API_KEY: "re_test_key" });
    await getDb().providerState.update({ where: { provider: "resend" }, data: { nextCallAt: new Date(Date.now() - 1000) } });
    await makeDue(first);
    await makeDue(second);
    await drain();
    expect((await message(first)).status).toBe("sent");
    expect((await message(second)).status).toBe("sent");
    expect(fake.accepted).toHaveLength(2);
    expect((await (await health()).json()).outbox).toEqual({ status: "ok" });
  });
});

describe("late truth wins", () => {
  it("a message failed after a timeout becomes delivered when Resend reports it", async () => {
    const world = await createTestWorld();
    fake.script({ kind: "timeout", ms: 1_000, acceptFirst: true });
    const id = await sendOne(world);
    await getDb().job.updateMany({ where: { messageId: id }, data: { maxAttempts: 1 } });
    await drain(createOutboxWorker({ backoffBaseMs: 1, delivery: { ...delivery, providerTimeoutMs: 300 } }));
    expect(await message(id)).toMatchObject({ status: "failed", providerMessageId: null });

    const data = { email_id: fake.accepted[0].id, to: ["ann@example.com"], tags: [{ name: "sairaph_message_id", value: id }] };
    const outcome = await applyResendEvent({ webhookId: "msg_late_1", event: { type: "email.delivered", data } });
    expect(outcome.applied).toBe(true);
    expect(await message(id)).toMatchObject({ status: "delivered", statusReason: null, providerMessageId: fake.accepted[0].id });
  });

  it("a delivered message loses its 'Delivery delayed' reason", async () => {
    const world = await createTestWorld();
    const id = await sendOne(world);
    await drain();
    const data = { email_id: fake.accepted[0].id, to: ["ann@example.com"] };
    await applyResendEvent({ webhookId: "msg_delay_1", event: { type: "email.delivery_delayed", data } });
    expect(await message(id)).toMatchObject({ status: "delayed", statusReason: "Delivery delayed" });
    await applyResendEvent({ webhookId: "msg_delay_2", event: { type: "email.delivered", data } });
    expect(await message(id)).toMatchObject({ status: "delivered", statusReason: null });
  });

  it("a bounce reported while the provider call is still answering keeps its reason", async () => {
    const world = await createTestWorld();
    const id = await sendOne(world);
    const [job] = await claimJobs({ kinds: [DELIVER_JOB], limit: 1, leaseMs: 60_000 });
    await deliverMessageJob(job, {
      ...delivery,
      afterProviderCall: async () => {
        const data = { to: ["ann@example.com"], tags: [{ name: "sairaph_message_id", value: id }], bounce: { type: "Transient", message: "Mailbox full" } };
        await applyResendEvent({ webhookId: "msg_bounce_1", event: { type: "email.bounced", data: { ...data, email_id: fake.accepted[0].id } } });
      },
    });
    expect(await message(id)).toMatchObject({ status: "bounced", statusReason: "Transient / Mailbox full" });
  });
});

describe("re-checks at delivery time", () => {
  it("a message of a mailbox suspended while it was retrying is never sent", async () => {
    const world = await createTestWorld();
    fake.script({ kind: "status", status: 500 });
    const id = await sendOne(world);
    await createOutboxWorker({ backoffBaseMs: 1, delivery }).runOnce();
    expect((await message(id)).status).toBe("queued");
    await setMailboxStatus({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, status: "suspended", actor: TEST_ACTOR });
    await makeDue(id);
    await drain();
    expect(fake.accepted).toHaveLength(0);
    expect(fake.requests).toBe(1);
    const row = await message(id);
    expect(row.status).toBe("failed");
    expect(row.statusReason).toMatch(/suspended/);
    expect((await jobOf(id)).status).toBe("failed");
  });

  it("a message to a recipient suppressed while it was retrying is never sent", async () => {
    const world = await createTestWorld();
    fake.script({ kind: "status", status: 503 });
    const id = await sendOne(world, "Zed@Example.com");
    await createOutboxWorker({ backoffBaseMs: 1, delivery }).runOnce();
    await addSuppression({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, address: "zed@example.com", reason: "manual" });
    await makeDue(id);
    await drain();
    expect(fake.accepted).toHaveLength(0);
    const row = await message(id);
    expect(row.status).toBe("failed");
    expect(row.statusReason).toMatch(/suppressed \(manual\)/);
    expect(row.statusReason).not.toContain("@");
  });
});
