// The job worker: polls for due jobs (about every 500 ms, or at once when kicked
// after a send in this process), runs each kind's handler, and stops gracefully
// (finishing the jobs it holds). Every app instance may run one: claims use SKIP LOCKED.
import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { claimJobs, releaseLeases, retryDelayMs, retryJob, type JobRow } from "@/lib/jobs/claim-jobs";
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
          if (handler.giveUp) await handler.giveUp(job, message);
          else await retryJob(null, job.id, message, 0);
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

  async function tick(): Promise<number> {
    if (Date.now() - lastBeat > HEARTBEAT_EVERY_MS) {
      lastBeat = Date.now();
      await beat(id).catch((err: unknown) => log("heartbeat failed", err));
    }
    let ran = 0;
    try {
      ran = await runOnce();
    } catch (err) {
      log("poll failed", err);
    }
    if (Date.now() - lastHousekeeping > housekeepingEveryMs) {
      lastHousekeeping = Date.now();
      await runHousekeeping().catch((err: unknown) => log("housekeeping failed", err));
    }
    return ran;
  }

  async function mainLoop(): Promise<void> {
    while (running) {
      kicked = false;
      const ran = await tick();
      // A full batch means more may be due: go again without sleeping.
      if (!running || ran >= batchSize || kicked) continue;
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
      if (graceMs === undefined) {
        await loop;
      } else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([loop, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
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
