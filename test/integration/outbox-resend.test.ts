// The outbox against the real `resend` SDK pointed at a local fake Resend: exactly
// one accepted email per accepted send under 500s, 429s, timeouts, a crash between
// the provider call and the status update, and two workers racing.
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { DELIVER_JOB, deliverMessageJob } from "@/lib/outbound/deliver-message";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { providerIdempotencyKey } from "@/lib/outbound/providers/types";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { withFakeResend } from "@/test/helpers/with-fake-resend";
import { dumpDatabase } from "@/test/helpers/dump-database";

setupTestDatabase();

const fake = withFakeResend();
// Pacing is tested in outbox-provider-errors.test.ts; here calls may go as fast as they come.
// The timeout leaves room for a cold first call on a busy machine; scripted timeouts are longer.
const delivery = { backoffBaseMs: 1, providerTimeoutMs: 1_500, providerCallsPerSecond: 1000 };

async function sendOne(world: Awaited<ReturnType<typeof createTestWorld>>, subject = "Hello") {
  const res = await call(messages.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to: ["Ann <ann@example.com>"], subject, text: "Hi", headers: { "X-Ref": "r1" } },
  });
  expect(res.status).toBe(202);
  return res.json.id as string;
}

/** Runs the worker until no job is due or pending (backoff here is a few ms). */
async function drain(worker = createOutboxWorker({ backoffBaseMs: 1, delivery })) {
  for (let i = 0; i < 200; i++) {
    const ran = await worker.runOnce();
    const left = await getDb().job.count({ where: { status: { in: ["pending", "running"] } } });
    if (left === 0) return;
    if (ran === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the outbox did not drain");
}

const message = (id: string) => getDb().message.findFirstOrThrow({ where: { id } });
const attempts = (id: string) => getDb().deliveryAttempt.findMany({ where: { messageId: id }, orderBy: { attempt: "asc" } });

describe("outbox with the resend provider", () => {
  it("sends the stored message through the SDK with a stable idempotency key", async () => {
    const world = await createTestWorld();
    const id = await sendOne(world);
    await drain();
    expect(fake.accepted).toHaveLength(1);
    const [email] = fake.accepted;
    expect(email.idempotencyKey).toBe(providerIdempotencyKey(id));
    expect(email.body).toMatchObject({
      from: world.mailbox.address,
      to: ['"Ann" <ann@example.com>'],
      subject: "Hello",
      text: "Hi",
      headers: { "Message-ID": `<${id}@${world.mailbox.address.split("@")[1]}>`, "X-Ref": "r1" },
      tags: [{ name: "sairaph_message_id", value: id }],
    });
    const row = await message(id);
    expect(row).toMatchObject({ status: "sent", provider: "resend", providerMessageId: email.id });
    expect(row.sentAt).not.toBeNull();
    expect((await attempts(id)).map((a) => a.outcome)).toEqual(["sent"]);
  });

  it("retries 500s, 429s, timeouts and dropped connections, and accepts exactly one email", async () => {
    const world = await createTestWorld();
    fake.script(
      { kind: "status", status: 500 },
      { kind: "status", status: 429, name: "rate_limit_exceeded" },
      { kind: "timeout", ms: 3_000 },
      { kind: "reset" },
      { kind: "status", status: 503 },
    );
    const id = await sendOne(world);
    await drain();
    expect(fake.requests).toBe(6);
    expect(fake.accepted).toHaveLength(1);
    expect(fake.acceptedByKey(providerIdempotencyKey(id))).toHaveLength(1);
    const history = await attempts(id);
    expect(history.map((a) => a.outcome)).toEqual(["retry", "retry", "retry", "retry", "retry", "sent"]);
    expect(history.map((a) => a.httpStatus)).toEqual([500, 429, null, null, 503, 200]);
    expect((await message(id)).status).toBe("sent");
  });

  it("a timeout after Resend accepted the email is retried with the same key and sends nothing twice", async () => {
    const world = await createTestWorld();
    fake.script({ kind: "timeout", ms: 3_000, acceptFirst: true });
    const id = await sendOne(world);
    await drain();
    expect(fake.requests).toBe(2);
    expect(fake.accepted).toHaveLength(1);
    expect((await message(id)).providerMessageId).toBe(fake.accepted[0].id);
  });

  it("a worker killed between the provider call and the status update never causes a second email", async () => {
    const world = await createTestWorld();
    const id = await sendOne(world);
    const [job] = await claimJobs({ kinds: [DELIVER_JOB], limit: 1, leaseMs: 60_000 });
    expect(job.messageId).toBe(id);
    await expect(
      deliverMessageJob(job, {
        ...delivery,
        afterProviderCall: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(fake.accepted).toHaveLength(1);
    expect((await message(id)).status).toBe("queued");
    // Nothing was saved: the job is still leased. Another worker takes it once the lease expires.
    expect(await claimJobs({ kinds: [DELIVER_JOB], limit: 1, leaseMs: 60_000 })).toHaveLength(0);
    await getDb().job.update({ where: { id: job.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await drain();
    expect(fake.requests).toBe(2);
    expect(fake.accepted).toHaveLength(1);
    const row = await message(id);
    expect(row).toMatchObject({ status: "sent", providerMessageId: fake.accepted[0].id });
    expect((await getDb().job.findFirstOrThrow({ where: { id: job.id } })).attempts).toBe(2);
  });

  it("gives up after 8 attempts with the reason; a permanent 4xx fails at once", async () => {
    const world = await createTestWorld();
    fake.script(...Array.from({ length: 8 }, () => ({ kind: "status" as const, status: 500 })));
    const id = await sendOne(world, "Doomed");
    await drain();
    const row = await message(id);
    expect(row.status).toBe("failed");
    expect(row.statusReason).toMatch(/Gave up after 8 attempts: Resend 500/);
    expect(await attempts(id)).toHaveLength(8);
    expect(fake.accepted).toHaveLength(0);

    fake.reset();
    fake.script({ kind: "status", status: 422, name: "validation_error", message: "The example.com domain is not verified" });
    const refused = await sendOne(world, "Refused");
    await drain();
    const refusedRow = await message(refused);
    expect(refusedRow.status).toBe("failed");
    expect(refusedRow.statusReason).toMatch(/422 validation_error: The example.com domain is not verified/);
    expect((await attempts(refused)).map((a) => [a.outcome, a.httpStatus])).toEqual([["failed", 422]]);
    expect(fake.requests).toBe(1);
  });

  it("stores no recipient address from a provider's error text (SPEC §6)", async () => {
    const world = await createTestWorld();
    fake.script(
      { kind: "status", status: 500, message: "mailbox ann@example.com temporarily unavailable" },
      { kind: "status", status: 422, name: "validation_error", message: "Invalid `to` field: <ann@example.com> rejected" },
    );
    const id = await sendOne(world, "Private");
    await drain();
    const row = await message(id);
    expect(row.status).toBe("failed");
    expect(row.statusReason).toContain("Invalid `to` field: <<address>> rejected");
    const dump = await dumpDatabase();
    expect(dump).toContain("temporarily unavailable");
    expect(dump.toLowerCase()).not.toContain("ann@example.com");
  });

  it("two workers polling at once never send the same message", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerMinute: 100 } });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await sendOne(world, `Bulk ${i}`));
    const a = createOutboxWorker({ backoffBaseMs: 1, batchSize: 3, delivery });
    const b = createOutboxWorker({ backoffBaseMs: 1, batchSize: 3, delivery });
    await Promise.all([drain(a), drain(b)]);
    expect(fake.requests).toBe(30);
    expect(fake.accepted).toHaveLength(30);
    expect(new Set(fake.accepted.map((e) => e.idempotencyKey)).size).toBe(30);
    const rows = await getDb().message.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(await getDb().deliveryAttempt.count({ where: { messageId: { in: ids } } })).toBe(30);
  });

  it("the running worker delivers a send right away when kicked", async () => {
    const world = await createTestWorld();
    const worker = createOutboxWorker({ pollMs: 60_000, backoffBaseMs: 1, delivery });
    worker.start();
    try {
      // The first pass runs at start; later ones only when kicked.
      await new Promise((r) => setTimeout(r, 100));
      const id = await sendOne(world);
      worker.kick();
      for (let i = 0; i < 100 && (await message(id)).status === "queued"; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await message(id)).status).toBe("sent");
    } finally {
      await worker.stop();
    }
    expect(worker.running).toBe(false);
  });
});
