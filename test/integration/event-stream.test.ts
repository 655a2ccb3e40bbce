// The live event stream (SPEC §12): SSE per mailbox and per tenant, resumed after
// Last-Event-ID with no gap and no repeat (also after the process's listener is gone,
// as after an app restart), the JSON page, and waiting for mail.
import { describe, expect, it } from "vitest";
import { closeEventHub } from "@/lib/events/event-hub";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { storeInboundMessage } from "@/lib/messages/store-message";
import * as mailboxEvents from "@/app/api/v1/mailboxes/[mailboxId]/events/route";
import * as tenantEvents from "@/app/api/v1/events/route";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";
import { SseReader } from "@/test/helpers/sse";

setupTestDatabase();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response>;

async function openStream(path: string, handler: AnyHandler, key: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await handler(
    new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}`, ...headers }, signal: controller.signal }),
    { params: Promise.resolve(params) },
  );
  return { res, reader: new SseReader(res.body!), close: () => controller.abort() };
}

describe("event stream", () => {
  it("streams a mailbox's events and resumes after Last-Event-ID with no gap or repeat, across a restart", async () => {
    const world = await createTestWorld();
    const other = await createTestMailbox(world.tenant.id);
    const path = `/api/v1/mailboxes/${world.mailbox.id}/events`;
    const params = { mailboxId: world.mailbox.id };
    // From the start of the log: mailbox.created is event 1.
    const first = await openStream(`${path}?after=0`, mailboxEvents.GET, world.keys.read, params);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get("content-type")).toContain("text/event-stream");
    const messageIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { message } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
      messageIds.push(message.id);
      // Another mailbox's mail is not on this stream.
      await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: other.id, content: testContent() });
    }
    const seen = await first.reader.take(5);
    expect(seen.map((e) => e.event)).toEqual(["mailbox.created", "message.received", "message.received", "message.received", "message.received"]);
    const lastSeen = seen[4].id!;
    expect(JSON.parse(seen[4].data)).toMatchObject({ id: lastSeen, type: "message.received", mailboxId: world.mailbox.id, data: { messageId: messageIds[3] } });
    first.close();
    await first.reader.cancel();

    // The app restarts: the process's listener and its state are gone.
    await closeEventHub();
    for (let i = 0; i < 3; i++) {
      const { message } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
      messageIds.push(message.id);
    }
    const resumed = await openStream(path, mailboxEvents.GET, world.keys.read, params, { "last-event-id": lastSeen });
    const missed = await resumed.reader.take(3);
    // Then a live one, after the catch-up.
    await setMailboxStatus({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, status: "suspended", actor: TEST_ACTOR });
    const [live] = await resumed.reader.take(1);
    resumed.close();
    await resumed.reader.cancel();
    const ids = [...missed, live].map((e) => BigInt(e.id!));
    expect(ids[0]).toBeGreaterThan(BigInt(lastSeen));
    expect(missed.map((e) => JSON.parse(e.data).data.messageId)).toEqual(messageIds.slice(4));
    expect(live.event).toBe("mailbox.suspended");
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
  });

  it("the tenant stream needs a sm_mgmt_ key and carries every mailbox's events; another tenant's never", async () => {
    const world = await createTestWorld();
    const stranger = await createTestWorld();
    const denied = await call(tenantEvents.GET, "GET", "/api/v1/events", { key: world.keys.management });
    expect(denied.status).toBe(403);
    const stream = await openStream("/api/v1/events", tenantEvents.GET, world.keys.tenant, {});
    await storeInboundMessage({ tenantId: stranger.tenant.id, mailboxId: stranger.mailbox.id, content: testContent() });
    const b = await createTestMailbox(world.tenant.id);
    const { message } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: b.id, content: testContent() });
    const events = await stream.reader.take(2);
    stream.close();
    await stream.reader.cancel();
    expect(events.map((e) => e.event)).toEqual(["mailbox.created", "message.received"]);
    expect(JSON.parse(events[1].data)).toMatchObject({ tenantId: world.tenant.id, mailboxId: b.id, data: { messageId: message.id } });
  });

  it("answers a JSON page of events after ?after= with Accept: application/json", async () => {
    const world = await createTestWorld();
    for (let i = 0; i < 3; i++) await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    const page = await call(mailboxEvents.GET, "GET", `/api/v1/mailboxes/${world.mailbox.id}/events`, {
      key: world.keys.read,
      params: { mailboxId: world.mailbox.id },
      query: { after: "1", limit: "2" },
      headers: { accept: "application/json" },
    });
    expect(page.status).toBe(200);
    expect(page.json.data.map((e: { id: string; type: string }) => [e.id, e.type])).toEqual([
      ["2", "message.received"],
      ["3", "message.received"],
    ]);
    expect(page.json).toMatchObject({ nextAfter: "3", hasMore: true });
    const bad = await call(mailboxEvents.GET, "GET", `/api/v1/mailboxes/${world.mailbox.id}/events`, {
      key: world.keys.read,
      params: { mailboxId: world.mailbox.id },
      query: { after: "x'1" },
      headers: { accept: "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    const other = await createTestWorld();
    const foreign = await call(mailboxEvents.GET, "GET", `/api/v1/mailboxes/${world.mailbox.id}/events`, {
      key: other.keys.tenant,
      params: { mailboxId: world.mailbox.id },
      headers: { accept: "application/json" },
    });
    expect(foreign.status).toBe(404);
  });

  it("?wait= returns as soon as a message after `after` arrives, and an empty page at the timeout", async () => {
    const world = await createTestWorld();
    const { message: seen } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent() });
    const path = `/api/v1/mailboxes/${world.mailbox.id}/messages`;
    const waiting = call(messagesRoute.GET, "GET", path, {
      key: world.keys.read,
      params: { mailboxId: world.mailbox.id },
      query: { wait: "30", after: seen.id },
    });
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    const { message: reply } = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content: testContent({ subject: "The reply" }) });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.json.data.map((m: { id: string }) => m.id)).toEqual([reply.id]);
    expect(res.json.data[0].subject).toBe("The reply");

    const empty = await call(messagesRoute.GET, "GET", path, { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { wait: "1", after: reply.id } });
    expect(empty.json.data).toEqual([]);
    const tooLong = await call(messagesRoute.GET, "GET", path, { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { wait: "31" } });
    expect(tooLong.status).toBe(400);
  });
});
