// Server-Sent Events for a tenant's or one mailbox's events (SPEC §12): first what
// the client missed after its Last-Event-ID, read from the log, then live events
// from the process's event hub, with a heartbeat comment every 15 s. Events the hub
// hands over during the catch-up are buffered and deduplicated by id, so a resumed
// stream has no gap and no repeat. No pooled connection is held per client.
import "server-only";
import { getEventHub } from "@/lib/events/event-hub";
import { MAX_EVENT_PAGE, readEvents } from "@/lib/events/read-events";
import type { EventDto } from "@/lib/events/types";

export const HEARTBEAT_MS = 15_000;

export type StreamScope = {
  tenantId: string;
  /** Only this mailbox's events; null for the whole tenant. */
  mailboxId: string | null;
  after: bigint;
  signal: AbortSignal;
  /** Checked at every heartbeat; false ends the stream (key revoked or expired, mailbox suspended). */
  stillAllowed?: () => Promise<boolean>;
};

export function formatSse(event: EventDto): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

// The hub hands the same event objects to every stream of the tenant: each event is
// serialized and encoded once, not once per client (1,000 clients on one mailbox).
const encoder = new TextEncoder();
const encoded = new WeakMap<EventDto, Uint8Array>();

function encodeEvent(event: EventDto): Uint8Array {
  let bytes = encoded.get(event);
  if (!bytes) {
    bytes = encoder.encode(formatSse(event));
    encoded.set(event, bytes);
  }
  return bytes;
}

export async function openEventStream(scope: StreamScope): Promise<ReadableStream<Uint8Array>> {
  let cursor = scope.after;
  let catchingUp = true;
  let buffered: EventDto[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let heartbeat: NodeJS.Timeout | null = null;
  let unsubscribe: () => void = () => {};

  const matches = (e: EventDto) => scope.mailboxId === null || e.mailboxId === scope.mailboxId;
  const send = (events: EventDto[]) => {
    if (closed) return;
    for (const e of events) {
      if (BigInt(e.id) <= cursor || !matches(e)) continue;
      cursor = BigInt(e.id);
      controller.enqueue(encodeEvent(e));
    }
  };
  const close = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    unsubscribe();
    try {
      controller.close();
    } catch {
      // Already closed by the client.
    }
  };

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      unsubscribe();
    },
  });
  scope.signal.addEventListener("abort", close, { once: true });

  unsubscribe = await getEventHub().subscribe(scope.tenantId, (events) => {
    if (catchingUp) buffered.push(...events);
    else send(events);
  });
  // Tells EventSource to retry after 2 s; a comment flushes the headers at once.
  controller.enqueue(encoder.encode("retry: 2000\n: connected\n\n"));
  try {
    for (;;) {
      const page = await readEvents({ tenantId: scope.tenantId, mailboxId: scope.mailboxId, after: cursor, limit: MAX_EVENT_PAGE });
      send(page);
      if (page.length < MAX_EVENT_PAGE || closed) break;
    }
  } catch (err) {
    console.error("[events] catch-up read failed", err);
    close();
    return stream;
  }
  catchingUp = false;
  send(buffered);
  buffered = [];

  heartbeat = setInterval(() => {
    if (closed) return;
    void (async () => {
      if (scope.stillAllowed && !(await scope.stillAllowed().catch(() => true))) return close();
      if (!closed) controller.enqueue(encoder.encode(": heartbeat\n\n"));
    })();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  if (scope.signal.aborted) close();
  return stream;
}
