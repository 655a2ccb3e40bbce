// The process's one listener for new events: a dedicated connection (outside the
// pool) LISTENs on the events channel; a notification for a tenant with subscribers
// makes the hub read that tenant's new events ONCE and hand them to every subscriber
// in memory. The event log stays the truth: notifications only wake the hub, and a
// slow safety poll covers a notification lost while the connection was down.
// Kept on globalThis: Next.js loads route handlers as separate module graphs.
import "server-only";
import pg from "pg";
import { databaseUrl } from "@/lib/db";
import { EVENTS_CHANNEL } from "@/lib/events/record-event";
import { latestEventId, MAX_EVENT_PAGE, readEvents } from "@/lib/events/read-events";
import type { EventDto } from "@/lib/events/types";

export type EventListener = (events: EventDto[]) => void;

type TenantState = {
  lastId: bigint;
  listeners: Set<EventListener>;
  fetching: Promise<void> | null;
  again: boolean;
};

const SAFETY_POLL_MS = 5_000;
const RECONNECT_MS = 1_000;

class EventHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private tenants = new Map<string, TenantState>();
  private poll: NodeJS.Timeout | null = null;

  /** Resolves once the hub listens and knows the tenant's newest id: every later event reaches `listener`. */
  async subscribe(tenantId: string, listener: EventListener): Promise<() => void> {
    await this.connect();
    let state = this.tenants.get(tenantId);
    if (!state) {
      const fresh: TenantState = { lastId: 0n, listeners: new Set(), fetching: null, again: false };
      // Ids taken before the listener existed belong to the subscriber's catch-up read.
      fresh.fetching = latestEventId(tenantId).then((id) => {
        fresh.lastId = id;
        fresh.fetching = null;
      });
      this.tenants.set(tenantId, fresh);
      state = fresh;
    }
    state.listeners.add(listener);
    if (state.fetching) await state.fetching;
    this.startPoll();
    const current = state;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.tenants.get(tenantId) === current) this.tenants.delete(tenantId);
    };
  }

  /** Reads a tenant's new events now (a notification arrived, or the safety poll). */
  wake(tenantId: string): void {
    const state = this.tenants.get(tenantId);
    if (!state) return;
    if (state.fetching) {
      state.again = true;
      return;
    }
    state.fetching = this.fetch(tenantId, state).finally(() => {
      state.fetching = null;
      if (state.again) {
        state.again = false;
        this.wake(tenantId);
      }
    });
  }

  private async fetch(tenantId: string, state: TenantState): Promise<void> {
    try {
      for (;;) {
        const events = await readEvents({ tenantId, after: state.lastId, limit: MAX_EVENT_PAGE });
        if (events.length === 0) return;
        state.lastId = BigInt(events[events.length - 1].id);
        for (const listener of state.listeners) {
          try {
            listener(events);
          } catch (err) {
            console.error("[events] a subscriber failed", err);
          }
        }
        if (events.length < MAX_EVENT_PAGE) return;
      }
    } catch (err) {
      console.error("[events] could not read new events", err);
    }
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: databaseUrl() });
      client.on("notification", (msg) => {
        const tenantId = msg.payload?.split(":")[0];
        if (tenantId) this.wake(tenantId);
      });
      client.on("error", (err) => {
        console.error("[events] listener connection failed", err.message);
        this.dropClient(client);
      });
      client.on("end", () => this.dropClient(client));
      try {
        await client.connect();
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      } catch (err) {
        await client.end().catch(() => {});
        throw err;
      }
      this.client = client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private dropClient(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => {});
    if (this.tenants.size === 0) return;
    // Reconnect while anyone listens, then read what was missed meanwhile.
    setTimeout(() => {
      this.connect()
        .then(() => this.wakeAll())
        .catch((err: unknown) => {
          console.error("[events] could not reconnect the listener", err);
          this.dropClientLater();
        });
    }, RECONNECT_MS).unref();
  }

  private dropClientLater(): void {
    setTimeout(() => {
      if (!this.client && this.tenants.size > 0) {
        this.connect()
          .then(() => this.wakeAll())
          .catch(() => this.dropClientLater());
      }
    }, RECONNECT_MS * 5).unref();
  }

  private wakeAll(): void {
    for (const tenantId of this.tenants.keys()) this.wake(tenantId);
  }

  private startPoll(): void {
    if (this.poll) return;
    this.poll = setInterval(() => {
      if (this.tenants.size === 0) {
        clearInterval(this.poll!);
        this.poll = null;
        return;
      }
      this.wakeAll();
    }, SAFETY_POLL_MS);
    this.poll.unref();
  }

  /** Closes the listener connection (tests, shutdown). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.tenants.clear();
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    await client?.end().catch(() => {});
  }
}

const holder = globalThis as typeof globalThis & { __sairaphEventHub?: EventHub };

export function getEventHub(): EventHub {
  holder.__sairaphEventHub ??= new EventHub();
  return holder.__sairaphEventHub;
}

export async function closeEventHub(): Promise<void> {
  const hub = holder.__sairaphEventHub;
  holder.__sairaphEventHub = undefined;
  await hub?.close();
}
