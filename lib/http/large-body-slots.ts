// One mailbox never blocks another (issue 16 item 3): a large request body (a send
// with 25 MB of attachments) is a lot of work (reading it; parsing, decoding and
// sealing it in an offload worker, lib/offload/; handing the rows to PostgreSQL), so
// each mailbox may have at most LARGE_BODIES_PER_MAILBOX of them in work at once in
// this process (and lib/http/large-body-pacer.ts paces all of them while it is busy). The others wait before their body is read (its bytes stay in the socket,
// costing nothing); a wait longer than LARGE_BODY_WAIT_MS (under the 30 s idempotency
// lock) is answered 429 with Retry-After. Small bodies never wait here.
import "server-only";
import { ApiError } from "@/lib/errors";

/** A body over this many bytes takes a large-body slot of its mailbox. */
export const LARGE_BODY_BYTES = 1024 * 1024;
export const LARGE_BODIES_PER_MAILBOX = 1;
export const LARGE_BODY_WAIT_MS = 10_000;

type Slots = { active: number; waiting: (() => void)[] };
const byOwner = new Map<string, Slots>();

/** Waits for a large-body slot of `owner` (a mailbox id); returns its release. */
export async function acquireLargeBodySlot(owner: string): Promise<() => void> {
  let slots = byOwner.get(owner);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    byOwner.set(owner, slots);
  }
  const mine = slots;
  if (mine.active >= LARGE_BODIES_PER_MAILBOX) {
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        mine.waiting.splice(mine.waiting.indexOf(turn), 1);
        reject(new ApiError("rate_limited", "This mailbox is already sending as many large messages at once as it may; retry shortly", {}, { "Retry-After": "2" }));
      }, LARGE_BODY_WAIT_MS);
      mine.waiting.push(turn);
    });
    // The finishing request handed its slot straight to us (active was not decremented).
  } else {
    mine.active += 1;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = mine.waiting.shift();
    if (next) next();
    else {
      mine.active -= 1;
      if (mine.active === 0 && byOwner.get(owner) === mine) byOwner.delete(owner);
    }
  };
}

/**
 * The large-body gate of one request: take() before reading a body declared larger
 * than LARGE_BODY_BYTES, or as soon as an undeclared one grows past it; release()
 * when the request is done (idempotent).
 */
export function largeBodyGate(owner: string) {
  let release: (() => void) | null = null;
  return {
    async take(): Promise<void> {
      release ??= await acquireLargeBodySlot(owner);
    },
    release(): void {
      release?.();
    },
  };
}
