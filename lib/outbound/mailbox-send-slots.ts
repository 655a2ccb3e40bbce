// Bounds how many send transactions one mailbox runs at once in this process, so a
// burst from one mailbox (say, 25 MB messages) waits here, holding no pooled
// connection, instead of taking the pool that other mailboxes and the worker need.
// A request that waits longer than SLOT_WAIT_MS (well under the 30 s idempotency lock)
// is answered 429 with Retry-After, like a mailbox at its limit.
import "server-only";
import { ApiError } from "@/lib/errors";

export const SLOTS_PER_MAILBOX = 2;
export const SLOT_WAIT_MS = 10_000;

type Slots = { active: number; waiting: (() => void)[] };
const byMailbox = new Map<string, Slots>();

export async function withMailboxSendSlot<T>(mailboxId: string, work: () => Promise<T>): Promise<T> {
  let slots = byMailbox.get(mailboxId);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    byMailbox.set(mailboxId, slots);
  }
  if (slots.active >= SLOTS_PER_MAILBOX) {
    const mine = slots;
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        mine.waiting.splice(mine.waiting.indexOf(turn), 1);
        reject(
          new ApiError("rate_limited", "This mailbox is already sending as many messages at once as it may; retry shortly", {}, { "Retry-After": "1" }),
        );
      }, SLOT_WAIT_MS);
      mine.waiting.push(turn);
    });
    // The finishing request handed its slot straight to us (active was not decremented).
  } else {
    slots.active += 1;
  }
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else {
      slots.active -= 1;
      if (slots.active === 0) byMailbox.delete(mailboxId);
    }
  }
}
