// The job worker: polls for due jobs (about every 500 ms, or at once when kicked
// after a send in this process or when one of its jobs finishes), runs up to
// batchSize of them at a time, each kind with its handler, and stops gracefully
// (finishing the jobs it holds). Every app instance may run one: claims use SKIP LOCKED.
import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { getDb } from "@/lib/db";
import { claimJobs, failJob, releaseLeases, retryDelayMs, retryJob, type JobRow } from "@/lib/jobs/claim-jobs";
import { HEARTBEAT_EVERY_MS, beat, removeHeartbeat } from "@/lib/jobs/heartbeat";
import { runHousekeeping } from "@/lib/jobs/housekeeping";

export type JobHandler = {
  run(job: JobRow): Promise<void>;
  /** Called when run() threw on the last allowed attempt, so the handler can record the failure. */
  giveUp?(job: JobRow, error: string): Promise<void>;
};

export type WorkerOptions = {
  handlers: Record<string, JobHandler>;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** Base of the backoff after a handler threw. */
  backoffBaseMs?: number;
  housekeepingEveryMs?: number;
  log?: (message: string, err?: unknown) => void;
  /** Called after each job with its kind, outcome and duration (logs and metrics). */
  onJobDone?: (job: JobRow, outcome: "done" | "error", durationMs: number) => void;
};

export type Worker = {
  /** Identifies this worker's leases (Job.lockedBy) and heartbeat. */
  readonly id: string;
  start(): void;
  /**
   * Stops polling and waits for the jobs in hand (at most `graceMs`, default no limit);
   * then hands back any lease still held and removes the heartbeat.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Polls now instead of waiting for the next tick. */
  kick(): void;
  /** One claim-and-run pass; returns how many jobs it ran. */
  runOnce(): Promise<number>;
  readonly running: boolean;
};

export function createWorker(options: WorkerOptions): Worker {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 10;
  const leaseMs = options.leaseMs ?? 120_000;
  const backoffBaseMs = options.backoffBaseMs ?? 5_000;
  const housekeepingEveryMs = options.housekeepingEveryMs ?? 60_000;
  const log = options.log ?? ((message, err) => console.error(`[worker] ${message}`, err ?? ""));
  const kinds = Object.keys(options.handlers);
  const id = `${os.hostname().slice(0, 64)}:${process.pid}:${randomBytes(4).toString("hex")}`;

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let kicked = false;
  let lastHousekeeping = 0;
  let housekeeping: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();
  let lastBeat = 0;

  async function runJob(job: JobRow): Promise<void> {
    const handler = options.handlers[job.kind];
    const started = Date.now();
    try {
      await handler.run(job);
      options.onJobDone?.(job, "done", Date.now() - started);
    } catch (err) {
      options.onJobDone?.(job, "error", Date.now() - started);
      const message = err instanceof Error ? err.message : String(err);
      log(`job ${job.id} (${job.kind}) attempt ${job.attempts} failed: ${message}`);
      try {
        if (job.attempts >= job.maxAttempts) {
          // Out of attempts: the job ends failed (claims skip it, so "pending" would be stuck forever).
          if (handler.giveUp) await handler.giveUp(job, message);
          else await getDb().$transaction((tx) => failJob(tx, job.id, message));
        } else {
          await retryJob(null, job.id, message, retryDelayMs(job.attempts, backoffBaseMs));
        }
      } catch (inner) {
        // The lease expires and the job is claimed again.
        log(`could not reschedule job ${job.id}`, inner);
      }
    }
  }

  async function runOnce(): Promise<number> {
    const jobs = await claimJobs({ kinds, limit: batchSize, leaseMs, workerId: id });
    await Promise.all(jobs.map(runJob));
    return jobs.length;
  }

  /**
   * Claims as many due jobs as there are free slots and starts them without waiting:
   * a slow job (a provider call near its timeout) holds only its own slot, and the
   * loop refills a slot as soon as it frees. Returns whether every free slot was filled.
   */
  async function fill(): Promise<boolean> {
    const free = batchSize - inFlight.size;
    if (free <= 0) return false;
    const jobs = await claimJobs({ kinds, limit: free, leaseMs, workerId: id });
    for (const job of jobs) {
      const run: Promise<void> = runJob(job).finally(() => {
        inFlight.delete(run);
        // A slot is free: claim again now (also when this finishes while the loop is polling).
        kicked = true;
        wake?.();
      });
      inFlight.add(run);
    }
    return jobs.length === free;
  }

  async function tick(): Promise<boolean> {
    if (Date.now() - lastBeat > HEARTBEAT_EVERY_MS) {
      lastBeat = Date.now();
      await beat(id).catch((err: unknown) => log("heartbeat failed", err));
    }
    let full = false;
    try {
      full = await fill();
    } catch (err) {
      log("poll failed", err);
    }
    if (!housekeeping && Date.now() - lastHousekeeping > housekeepingEveryMs) {
      lastHousekeeping = Date.now();
      // In the background: a long purge never delays deliveries.
      housekeeping = runHousekeeping()
        .then(() => undefined)
        .catch((err: unknown) => log("housekeeping failed", err))
        .finally(() => {
          housekeeping = null;
        });
    }
    return full;
  }

  async function mainLoop(): Promise<void> {
    while (running) {
      kicked = false;
      const full = await tick();
      // Every free slot taken means more may be due: go again without sleeping.
      if (!running || full || kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    id,
    start() {
      if (running) return;
      running = true;
      loop = mainLoop();
    },
    async stop({ graceMs }: { graceMs?: number } = {}) {
      const wasRunning = running || loop !== null;
      running = false;
      wake?.();
      const drained = (async () => {
        await loop;
        await Promise.all([...inFlight, housekeeping]);
      })();
      if (graceMs === undefined) {
        await drained;
      } else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      loop = null;
      if (!wasRunning) return;
      await releaseLeases(id).catch((err: unknown) => log("could not release the leases", err));
      await removeHeartbeat(id).catch((err: unknown) => log("could not remove the heartbeat", err));
    },
    kick() {
      kicked = true;
      wake?.();
    },
    runOnce,
    get running() {
      return running;
    },
  };
}
