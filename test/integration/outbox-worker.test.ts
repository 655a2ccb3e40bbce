// The worker's failure paths: a job whose handler keeps throwing is rescheduled, then
// given up with the message failed; a job whose every attempt was cut short by a
// crashed worker is failed by housekeeping, never retried forever.
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { runHousekeeping } from "@/lib/jobs/housekeeping";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

async function queued() {
  const world = await createTestWorld();
  const res = await call(messages.POST, "POST", "/x", {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to: ["ann@example.com"], subject: "Hello", text: "Hi" },
  });
  expect(res.status).toBe(202);
  return getDb().job.findFirstOrThrow({ where: { messageId: res.json.id } });
}

describe("outbox worker failures", () => {
  it("reschedules a job whose handler throws, and gives up on the last attempt with the message failed", async () => {
    const job = await queued();
    // A ciphertext that no longer opens: loading the message throws on every attempt.
    await getDb().message.update({ where: { id: job.messageId! }, data: { metaCipher: new Uint8Array(Buffer.from("garbage-garbage-garbage-garbage-garbage")) } });
    const worker = createOutboxWorker({ backoffBaseMs: 60_000, log: () => {} });
    await worker.runOnce();
    const retried = await getDb().job.findFirstOrThrow({ where: { id: job.id } });
    expect(retried).toMatchObject({ status: "pending", attempts: 1 });
    expect(retried.runAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(retried.lastError).toBeTruthy();

    await getDb().job.update({ where: { id: job.id }, data: { attempts: 7, runAt: new Date(Date.now() - 1000) } });
    await worker.runOnce();
    expect(await getDb().job.findFirstOrThrow({ where: { id: job.id } })).toMatchObject({ status: "failed", attempts: 8 });
    const message = await getDb().message.findFirstOrThrow({ where: { id: job.messageId! } });
    expect(message.status).toBe("failed");
    expect(message.statusReason).toMatch(/^Delivery failed: /);
  });

  it("fails a job whose every attempt was taken by a crashed worker", async () => {
    const job = await queued();
    await getDb().job.update({ where: { id: job.id }, data: { status: "running", attempts: 8, lockedUntil: new Date(Date.now() - 1000) } });
    expect(await createOutboxWorker({ log: () => {} }).runOnce()).toBe(0);
    await runHousekeeping();
    expect((await getDb().job.findFirstOrThrow({ where: { id: job.id } })).status).toBe("failed");
    expect(await getDb().message.findFirstOrThrow({ where: { id: job.messageId! } })).toMatchObject({
      status: "failed",
      statusReason: "Delivery was interrupted on every attempt",
    });
  });

  it("housekeeping drops expired idempotency records and limit counters only", async () => {
    const world = await createTestWorld();
    const past = new Date(Date.now() - 1000);
    const future = new Date(Date.now() + 3_600_000);
    await getDb().idempotencyRecord.createMany({
      data: [
        { id: "00000000-0000-7000-8000-000000000001", tenantId: world.tenant.id, key: "old", requestHash: "h", lockedUntil: past, expiresAt: past },
        { id: "00000000-0000-7000-8000-000000000002", tenantId: world.tenant.id, key: "new", requestHash: "h", lockedUntil: past, expiresAt: future },
      ],
    });
    await getDb().rateLimitCounter.createMany({
      data: [
        { scope: "test:old", windowStart: past, count: 1, expiresAt: past },
        { scope: "test:new", windowStart: past, count: 1, expiresAt: future },
      ],
    });
    await runHousekeeping();
    expect((await getDb().idempotencyRecord.findMany({ where: { tenantId: world.tenant.id } })).map((r) => r.key)).toEqual(["new"]);
    expect((await getDb().rateLimitCounter.findMany({ where: { scope: { startsWith: "test:" } } })).map((r) => r.scope)).toEqual(["test:new"]);
  });
});
