// One mailbox never slows another (issue 16): while the event loop is busy, large
// request bodies are read at a paced rate, shared by every large body in this process,
// so small requests (another mailbox's sends, reads, the dashboard) keep the event loop.
// Reading pauses the socket (TCP backpressure), which costs nothing while it waits.
// When the event loop has room, large bodies are read at full speed.
//
// "Busy" is the event loop's utilization over the last LOOP_WINDOW_MS: the share of
// that time it spent running code rather than waiting for I/O.
import "server-only";
import { performance, type EventLoopUtilization } from "node:perf_hooks";

/** Above this utilization the event loop is busy and large bodies are paced. */
export const BUSY_UTILIZATION = 0.5;
/** Bytes per second that all large bodies together are read at while the event loop is busy. */
export const BUSY_BYTES_PER_SECOND = 12 * 1024 * 1024;
/** At most this many bytes are read in one burst after a pause. */
export const BURST_BYTES = 1024 * 1024;
const LOOP_WINDOW_MS = 250;

type Clock = { now: () => number; sleep: (ms: number) => Promise<void>; busy: (now: number) => boolean };

function eventLoopIsBusy(): (now: number) => boolean {
  let sample: { at: number; elu: EventLoopUtilization; busy: boolean } | null = null;
  return (now) => {
    if (!sample) {
      sample = { at: now, elu: performance.eventLoopUtilization(), busy: false };
    } else if (now - sample.at >= LOOP_WINDOW_MS) {
      const elu = performance.eventLoopUtilization();
      sample = { at: now, elu, busy: performance.eventLoopUtilization(elu, sample.elu).utilization > BUSY_UTILIZATION };
    }
    return sample.busy;
  };
}

/** A token bucket of BUSY_BYTES_PER_SECOND (BURST_BYTES deep) that only applies while `busy`. */
export function createLargeBodyPacer(clock: Clock) {
  let tokens = BURST_BYTES;
  let refilledAt = clock.now();
  /** Awaited before handing on `bytes` more of a large body: returns at once unless the event loop is busy. */
  return async function pace(bytes: number): Promise<void> {
    for (;;) {
      const now = clock.now();
      tokens = Math.min(BURST_BYTES, tokens + ((now - refilledAt) / 1000) * BUSY_BYTES_PER_SECOND);
      refilledAt = now;
      if (!clock.busy(now)) return;
      const wanted = Math.min(bytes, BURST_BYTES);
      if (tokens >= wanted) {
        tokens -= bytes; // a chunk larger than the burst leaves a debt, paid by the next waits
        return;
      }
      await clock.sleep(Math.min(LOOP_WINDOW_MS, Math.max(1, ((wanted - tokens) / BUSY_BYTES_PER_SECOND) * 1000)));
    }
  };
}

/** The pacer every large body of this process shares. */
export const paceLargeBody = createLargeBodyPacer({
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  busy: eventLoopIsBusy(),
});
