// The job worker itself: a handler without giveUp that fails its last attempt ends
// failed (never stuck), one slow job does not hold up the jobs claimed after it, and
// the local provider gives up on a delivery that outlasts its timeout.
import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { completeJob } from "@/lib/jobs/claim-jobs";
import { createWorker } from "@/lib/jobs/worker";
import { localProvider } from "@/lib/outbound/providers/local-provider";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

async function addJob(kind: string, maxAttempts = 8) {
  const id = uuidv7();
  await getDb().job.create({ data: { id, kind, maxAttempts } });
  return id;
}

const done = (jobId: string) => getDb().$transaction((tx) => completeJob(tx, jobId));

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("job worker", () => {
  it("a job whose handler has no giveUp ends failed after its last attempt", async () => {
    const id = await addJob("test.broken", 1);
    const worker = createWorker({ handlers: { "test.broken": { run: () => Promise.reject(new Error("always broken")) } }, log: () => {} });
    expect(await worker.runOnce()).toBe(1);
    expect(await getDb().job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", attempts: 1, lastError: "always broken" });
  });

  it("runs jobs claimed later while an earlier one is still slow", async () => {
    let release!: () => void;
    const slowGate = new Promise<void>((resolve) => (release = resolve));
    let slowStarted = false;
    const worker = createWorker({
      pollMs: 20,
      batchSize: 3,
      housekeepingEveryMs: 3_600_000,
      handlers: {
        "test.slow": {
          run: async (job) => {
            slowStarted = true;
            await slowGate;
            await done(job.id);
          },
        },
        "test.fast": { run: (job) => done(job.id) },
      },
    });
    const slow = await addJob("test.slow");
    worker.start();
    try {
      await until(async () => slowStarted, "the slow job to start");
      const fast = [await addJob("test.fast"), await addJob("test.fast"), await addJob("test.fast")];
      worker.kick();
      await until(async () => (await getDb().job.count({ where: { id: { in: fast }, status: "done" } })) === 3, "the fast jobs");
      // They finished while the slow one was still running.
      expect((await getDb().job.findUniqueOrThrow({ where: { id: slow } })).status).toBe("running");
    } finally {
      release();
      await worker.stop();
    }
    expect((await getDb().job.findUniqueOrThrow({ where: { id: slow } })).status).toBe("done");
  });

  it("the local provider honours its timeout", async () => {
    const world = await createTestWorld();
    const address = world.mailbox.address;
    // Another session holds the mailbox table: a local delivery cannot even look up its recipient.
    const blocker = await getPool().connect();
    await blocker.query(`BEGIN; LOCK TABLE "Mailbox" IN ACCESS EXCLUSIVE MODE`);
    const fallback = setTimeout(() => void blocker.query("ROLLBACK"), 10_000);
    try {
      const result = await localProvider.send(
        {
          messageId: uuidv7(),
          tenantId: world.tenant.id,
          mailboxId: world.mailbox.id,
          content: {
            from: { address: "sender@example.com" },
            to: [{ address }],
            cc: [],
            bcc: [],
            replyTo: [],
            subject: "Slow",
            text: "Hi",
            html: null,
            headers: [],
            messageId: `<${uuidv7()}@example.com>`,
            inReplyTo: null,
            references: [],
            attachments: [],
          },
        },
        { idempotencyKey: "k", timeoutMs: 300 },
      );
      expect(result).toMatchObject({ ok: false, retryable: true });
      expect(result.ok ? "" : result.message).toMatch(/timed out/);
    } finally {
      clearTimeout(fallback);
      await blocker.query("ROLLBACK").catch(() => {});
      blocker.release();
    }
  });
});
