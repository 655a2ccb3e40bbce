// The job queue (the outbox is its main user). Workers claim due rows with
// FOR UPDATE SKIP LOCKED, so two workers never take the same job, and hold a lease
// (lockedUntil): a job whose worker crashed is claimed again once the lease expires.
import "server-only";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { getPool, type Tx } from "@/lib/db";

export type JobRow = {
  id: string;
  tenantId: string | null;
  kind: string;
  mailboxId: string | null;
  messageId: string | null;
  payload: unknown;
  /** Attempts so far, this one included (counted when claimed, so a crash counts too). */
  attempts: number;
  maxAttempts: number;
};

/** Claims up to `limit` due jobs of the given kinds: pending and due, or running with an expired lease. */
export async function claimJobs(input: { kinds: string[]; limit: number; leaseMs: number; workerId?: string }): Promise<JobRow[]> {
  const { rows } = await getPool().query<JobRow>(
    `UPDATE "Job" j SET status = 'running', attempts = j.attempts + 1, "lockedBy" = $4,
       "lockedUntil" = now() + make_interval(secs => $3::double precision / 1000), "updatedAt" = now()
     WHERE j.id IN (
       SELECT id FROM "Job"
       WHERE kind = ANY($1::text[]) AND attempts < "maxAttempts"
         AND ((status = 'pending' AND "runAt" <= now()) OR (status = 'running' AND "lockedUntil" < now()))
       ORDER BY "runAt"
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     RETURNING j.id, j."tenantId", j.kind, j."mailboxId", j."messageId", j.payload, j.attempts, j."maxAttempts"`,
    [input.kinds, input.limit, input.leaseMs, input.workerId ?? null],
  );
  return rows;
}

/**
 * A stopping worker hands back the jobs it still holds, so another worker takes them
 * now rather than when the lease expires. The interrupted attempt is not counted: if
 * the provider call was under way, the retry reuses its idempotency key.
 */
export async function releaseLeases(workerId: string): Promise<number> {
  const { rowCount } = await getPool().query(
    `UPDATE "Job" SET status = 'pending', attempts = greatest(attempts - 1, 0), "lockedUntil" = NULL, "lockedBy" = NULL,
       "runAt" = now(), "updatedAt" = now()
     WHERE "lockedBy" = $1 AND status = 'running'`,
    [workerId],
  );
  return rowCount ?? 0;
}

/** Full-jitter exponential backoff: a delay in [d/2, d] with d = base·2^(attempt-1), capped. */
export function retryDelayMs(attempt: number, baseMs: number, capMs = 15 * 60_000, random = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export async function completeJob(tx: Tx, jobId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Job" SET status = 'done', "lockedUntil" = NULL, "updatedAt" = now() WHERE id = ${jobId}`;
}

export async function failJob(tx: Tx, jobId: string, error: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Job" SET status = 'failed', "lockedUntil" = NULL, "lastError" = ${redactAddresses(error).slice(0, 2000)}, "updatedAt" = now() WHERE id = ${jobId}`;
}

export async function retryJob(tx: Tx | null, jobId: string, error: string, delayMs: number): Promise<void> {
  const sql = `UPDATE "Job" SET status = 'pending', "lockedUntil" = NULL, "lastError" = $2,
      "runAt" = now() + make_interval(secs => $3::double precision / 1000), "updatedAt" = now() WHERE id = $1`;
  const params = [jobId, redactAddresses(error).slice(0, 2000), delayMs];
  if (tx) await tx.$executeRawUnsafe(sql, ...params);
  else await getPool().query(sql, params);
}

/**
 * Puts a claimed job aside without counting the attempt (the provider's pace or a
 * pause held it back; nothing was tried), to be claimed again after `delayMs`.
 */
export async function deferJob(tx: Tx | null, jobId: string, delayMs: number, reason?: string): Promise<void> {
  const sql = `UPDATE "Job" SET status = 'pending', attempts = greatest(attempts - 1, 0), "lockedUntil" = NULL,
      "lastError" = coalesce($3, "lastError"), "runAt" = now() + make_interval(secs => $2::double precision / 1000), "updatedAt" = now()
    WHERE id = $1`;
  const params = [jobId, delayMs, reason === undefined ? null : redactAddresses(reason).slice(0, 2000)];
  if (tx) await tx.$executeRawUnsafe(sql, ...params);
  else await getPool().query(sql, params);
}

/** Inserts a job inside the caller's transaction (the outbox: it commits with the work it describes). */
export async function enqueueJob(
  tx: Tx,
  job: { id: string; tenantId: string | null; kind: string; mailboxId?: string; messageId?: string; payload?: unknown },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
    VALUES (${job.id}, ${job.tenantId}, ${job.kind}, ${job.mailboxId ?? null}, ${job.messageId ?? null},
            ${JSON.stringify(job.payload ?? {})}::jsonb, 'pending', 0, 8, now(), now(), now())`;
}
