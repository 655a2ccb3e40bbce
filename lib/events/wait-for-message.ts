// "Wait for the reply" in one call (SPEC §12, REST ?wait= and the MCP tool
// wait_for_message): returns as soon as a message matching the filters exists
// after `after`, or an empty page when the time is up. The event hub wakes the
// waiter when the mailbox gets a message event; a re-check every 2 s also catches
// matches that raise no event (an outbound message still queued).
import "server-only";
import { getEventHub } from "@/lib/events/event-hub";
import { listMessages, type ListMessagesInput } from "@/lib/messages/list-messages";

export const MAX_WAIT_SECONDS = 30;
const RECHECK_MS = 2_000;

/** The smallest UUIDv7 of a millisecond: "newer than now" for ids that sort by time. */
export function uuidv7Floor(ms: number): string {
  const hex = ms.toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

export async function waitForMessages(
  input: ListMessagesInput & { waitSeconds: number; signal?: AbortSignal },
): Promise<Awaited<ReturnType<typeof listMessages>>> {
  const { waitSeconds, signal, ...list } = input;
  const query: ListMessagesInput = { ...list, after: list.after ?? uuidv7Floor(Date.now()) };
  const deadline = Date.now() + Math.min(MAX_WAIT_SECONDS, Math.max(0, waitSeconds)) * 1000;
  let woke = false;
  let wake: (() => void) | null = null;
  // Listen before the first look, so a message committed in between still wakes us.
  const unsubscribe = await getEventHub().subscribe(input.tenantId, (events) => {
    if (events.some((e) => e.mailboxId === input.mailboxId && e.type.startsWith("message."))) {
      woke = true;
      wake?.();
    }
  });
  try {
    for (;;) {
      woke = false;
      const page = await listMessages(query);
      const left = deadline - Date.now();
      if (page.data.length > 0 || left <= 0 || signal?.aborted) return page;
      if (woke) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, RECHECK_MS));
        function done() {
          clearTimeout(timer);
          wake = null;
          signal?.removeEventListener("abort", done);
          resolve();
        }
        wake = done;
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    unsubscribe();
  }
}
