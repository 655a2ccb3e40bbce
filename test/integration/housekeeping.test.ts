// Housekeeping keeps up: one run deletes a whole backlog of expired rows (not 1,000
// per table per minute), purges finished jobs with their delivery attempts and old
// webhook receipts, and keeps everything still within its retention.
import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { RETENTION, runHousekeeping } from "@/lib/jobs/housekeeping";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe("housekeeping", () => {
  it("deletes a backlog of 10,000 expired limit counters in one run and keeps live ones", async () => {
    await getPool().query(
      `INSERT INTO "RateLimitCounter" (scope, "windowStart", count, "expiresAt")
       SELECT 'key:' || g, now() - interval '2 hours', 1, now() - interval '1 hour' FROM generate_series(1, 10000) g`,
    );
    await getDb().rateLimitCounter.create({ data: { scope: "key:live", windowStart: new Date(), count: 1, expiresAt: new Date(Date.now() + 60_000) } });

    const result = await runHousekeeping();

    expect(result.deleted.RateLimitCounter).toBe(10_000);
    expect(await getDb().rateLimitCounter.findMany({ select: { scope: true } })).toEqual([{ scope: "key:live" }]);
  });

  it("purges finished jobs with their delivery attempts and old webhook receipts after their retention", async () => {
    const world = await createTestWorld();
    const job = (status: "done" | "failed" | "pending", updatedAt: Date) => ({
      id: uuidv7(),
      tenantId: world.tenant.id,
      kind: "outbound.deliver",
      status,
      updatedAt,
    });
    const oldDone = job("done", daysAgo(RETENTION.finishedJobsDays + 1));
    const oldFailed = job("failed", daysAgo(RETENTION.finishedJobsDays + 1));
    const recentDone = job("done", daysAgo(1));
    const oldPending = job("pending", daysAgo(RETENTION.finishedJobsDays + 1));
    await getDb().job.createMany({ data: [oldDone, oldFailed, recentDone, oldPending] });
    await getDb().deliveryAttempt.createMany({
      data: [oldDone, recentDone].map((j) => ({ id: uuidv7(), tenantId: world.tenant.id, jobId: j.id, attempt: 1, outcome: "sent", durationMs: 5 })),
    });
    await getDb().webhookReceipt.createMany({
      data: [
        { id: uuidv7(), source: "resend", webhookId: "msg_old", receivedAt: daysAgo(RETENTION.webhookReceiptsDays + 1) },
        // SPEC §5: ids are kept at least 7 days.
        { id: uuidv7(), source: "resend", webhookId: "msg_week", receivedAt: daysAgo(7) },
      ],
    });

    const result = await runHousekeeping({ batch: 1 });

    expect(result.deleted).toMatchObject({ Job: 2, WebhookReceipt: 1 });
    const jobs = await getDb().job.findMany({ select: { id: true } });
    expect(jobs.map((j) => j.id).sort()).toEqual([recentDone.id, oldPending.id].sort());
    const attempts = await getDb().deliveryAttempt.findMany({ select: { jobId: true } });
    expect(attempts).toEqual([{ jobId: recentDone.id }]);
    expect(await getDb().webhookReceipt.findMany({ select: { webhookId: true } })).toEqual([{ webhookId: "msg_week" }]);
  });
});
