import { describe, expect, it } from "vitest";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as attachmentRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import * as threadsRoute from "@/app/api/v1/mailboxes/[mailboxId]/threads/route";
import * as threadRoute from "@/app/api/v1/mailboxes/[mailboxId]/threads/[threadId]/route";
import * as usageRoute from "@/app/api/v1/mailboxes/[mailboxId]/usage/route";
import { getDb } from "@/lib/db";
import { windowStart } from "@/lib/limits/fixed-window";
import { storeInboundMessage, prepareOutbound, storeOutboundMessage } from "@/lib/messages/store-message";
import type { MessageContent } from "@/lib/messages/message-content";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function inbound(world: World, overrides: Partial<MessageContent> = {}, mailboxId = world.mailbox.id) {
  return (await storeInboundMessage({ tenantId: world.tenant.id, mailboxId, content: testContent(overrides) })).message;
}

async function outbound(world: World, overrides: Partial<MessageContent> = {}) {
  const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
  const content = testContent({ from: { address: world.mailbox.address }, ...overrides });
  const { cipher } = await prepareOutbound({ ...scope, content });
  return getDb().$transaction((tx) => storeOutboundMessage(tx, { ...scope, content, status: "queued", cipher }));
}

const ids = (res: { json: { data: { id: string }[] } }) => res.json.data.map((m) => m.id);

describe("GET /messages", () => {
  it("lists newest first without bodies, with filters and cursor pagination", async () => {
    const world = await createTestWorld();
    const params = { mailboxId: world.mailbox.id };
    const a = await inbound(world, { subject: "First" });
    const b = await outbound(world, { subject: "Second", to: [{ address: "bob@example.net" }] });
    const c = await inbound(world, { subject: "Third" });
    await getDb().message.update({ where: { id: c.id }, data: { read: true, labels: ["billing"] } });

    const all = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params });
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([c.id, b.id, a.id]);
    expect(all.json.nextCursor).toBeNull();
    expect(all.json.data[0]).toMatchObject({ subject: "Third", snippet: "Hello, please find the invoice attached.", read: true, labels: ["billing"] });
    expect(all.json.data[0]).not.toHaveProperty("text");
    expect(all.json.data[0]).not.toHaveProperty("html");
    const single = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { ...params, messageId: c.id } });
    const listed = { ...single.json };
    for (const field of ["text", "html", "headers"]) delete listed[field];
    expect(all.json.data[0]).toEqual(listed);

    const q = (query: Record<string, string>) => call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params, query });
    expect(ids(await q({ direction: "outbound" }))).toEqual([b.id]);
    expect(ids(await q({ direction: "inbound" }))).toEqual([c.id, a.id]);
    expect(ids(await q({ unread: "true" }))).toEqual([b.id, a.id]);
    expect(ids(await q({ unread: "false" }))).toEqual([c.id]);
    expect(ids(await q({ label: "billing" }))).toEqual([c.id]);
    expect(ids(await q({ threadId: b.threadId }))).toEqual([b.id]);

    const p1 = await q({ limit: "2" });
    expect(ids(p1)).toEqual([c.id, b.id]);
    const p2 = await q({ limit: "2", cursor: p1.json.nextCursor });
    expect(ids(p2)).toEqual([a.id]);
    expect(p2.json.nextCursor).toBeNull();

    for (const bad of <Record<string, string>[]>[{ limit: "0" }, { limit: "101" }, { direction: "sideways" }, { unread: "yes" }, { cursor: "garbage" }, { threadId: "nope" }]) {
      const res = await q(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
  });

  it("returns every message exactly once while new ones arrive between pages", async () => {
    const world = await createTestWorld();
    const params = { mailboxId: world.mailbox.id };
    const existing = new Set<string>();
    for (let i = 0; i < 23; i++) existing.add((await inbound(world, { subject: `old ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let arrived = 0;
    do {
      const res = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { limit: "5", ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      cursor = res.json.nextCursor ?? undefined;
      // Mail keeps arriving while the client pages.
      await inbound(world, { subject: `new ${arrived++}` });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => existing.has(id)).sort()).toEqual([...existing].sort());
    expect(seen.length).toBe(existing.size);
  });

  it("searches subject, participants and text words, all words must match, never another mailbox", async () => {
    const world = await createTestWorld();
    const other = await createTestMailbox(world.tenant.id);
    const params = { mailboxId: world.mailbox.id };
    const m1 = await inbound(world, { subject: "Zebra crossing report", from: { address: "Carol.Danvers@Avengers.example", name: "Carol Danvers" }, text: "The marmalade budget is approved." });
    const m2 = await inbound(world, { subject: "Lunch", text: "Marmalade sandwiches for everyone. Ünïcode Straße!" });
    await inbound(world, { subject: "Zebra zebra", text: "nothing" }, other.id);
    const search = async (q: string) => ids(await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { q } }));
    expect(await search("zebra")).toEqual([m1.id]);
    expect(await search("ZEBRA Crossing")).toEqual([m1.id]);
    expect(await search("marmalade")).toEqual([m2.id, m1.id]);
    expect(await search("marmalade budget")).toEqual([m1.id]);
    expect(await search("carol")).toEqual([m1.id]);
    expect(await search("carol.danvers@avengers.example")).toEqual([m1.id]);
    expect(await search("avengers.example")).toEqual([m1.id]);
    expect(await search("straße")).toEqual([m2.id]);
    expect(await search("zebra nothing")).toEqual([]);
    expect(await search("marma")).toEqual([]);
    // Another mailbox with the matching word stays invisible, even to the tenant key.
    expect(ids(await call(messagesRoute.GET, "GET", "/x", { key: world.keys.tenant, params, query: { q: "nothing" } }))).toEqual([]);
  });
});

describe("GET/PATCH/DELETE /messages/{id}", () => {
  it("gets the full message, marks read and labels it, deletes it", async () => {
    const world = await createTestWorld();
    const m = await inbound(world, { html: "<b>Hi</b>", cc: [{ address: "cc@example.org", name: "C C" }] });
    const params = { mailboxId: world.mailbox.id, messageId: m.id };
    const got = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id: m.id, text: "Hello, please find the invoice attached.", html: "<b>Hi</b>", cc: [{ address: "cc@example.org", name: "C C" }], headers: [{ name: "Subject", value: "Quarterly invoice" }] });

    expect((await call(messageRoute.PATCH, "PATCH", "/x", { key: world.keys.read, params, body: { read: true } })).status).toBe(403);
    const patched = await call(messageRoute.PATCH, "PATCH", "/x", { key: world.keys.read_write, params, body: { read: true, labels: ["todo", "vip", "todo"] } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ read: true, labels: ["todo", "vip"] });
    const unread = await call(messageRoute.PATCH, "PATCH", "/x", { key: world.keys.tenant, params, body: { read: false } });
    expect(unread.json).toMatchObject({ read: false, labels: ["todo", "vip"] });

    for (const body of [{ labels: [""] }, { labels: ["x".repeat(65)] }, { labels: Array.from({ length: 51 }, (_, i) => `l${i}`) }, { read: "yes" }, { other: 1 }]) {
      const res = await call(messageRoute.PATCH, "PATCH", "/x", { key: world.keys.read_write, params, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    expect((await call(messageRoute.PATCH, "PATCH", "/x", { key: world.keys.read_write, params, body: { labels: Array.from({ length: 50 }, (_, i) => `l${i}`) } })).status).toBe(200);

    expect((await call(messageRoute.DELETE, "DELETE", "/x", { key: world.keys.read, params })).status).toBe(403);
    const deleted = await call(messageRoute.DELETE, "DELETE", "/x", { key: world.keys.read_write, params });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ id: m.id, deleted: true });
    expect((await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params })).status).toBe(404);
    expect(await getDb().thread.count({ where: { id: m.threadId } })).toBe(0);
  });

  it("serves attachment bytes with a safe type, RFC 5987 filename and nosniff", async () => {
    const world = await createTestWorld();
    const pdf = Buffer.from("%PDF-1.7\n binary \u0000\u0001 bytes");
    const m = await inbound(world, {
      attachments: [
        { filename: "Rechnung März \"final\".pdf", contentType: "application/pdf", content: pdf },
        { filename: "x.html", contentType: "text/html\r\nX-Evil: 1", content: Buffer.from("<script>alert(1)</script>") },
      ],
    });
    const dto = (await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: m.id } })).json;
    expect(dto.attachments).toHaveLength(2);
    const [first, second] = dto.attachments;
    expect(first).toMatchObject({ filename: "Rechnung März \"final\".pdf", contentType: "application/pdf", size: pdf.length });

    const params = { mailboxId: world.mailbox.id, messageId: m.id, attachmentId: first.id };
    const res = await attachmentRoute.GET(new Request("http://localhost/x", { headers: { authorization: `Bearer ${world.keys.read}` } }), { params: Promise.resolve(params) });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Rechnung M_rz _final_.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%22final%22.pdf`);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);

    const evil = await call(attachmentRoute.GET, "GET", "/x", { key: world.keys.read, params: { ...params, attachmentId: second.id } });
    expect(evil.headers.get("content-type")).toBe("application/octet-stream");
    expect(evil.headers.get("content-security-policy")).toContain("sandbox");

    const other = await inbound(world);
    const wrongMessage = await call(attachmentRoute.GET, "GET", "/x", { key: world.keys.read, params: { ...params, messageId: other.id } });
    expect(wrongMessage.status).toBe(404);
  });
});

describe("threads and usage", () => {
  it("lists threads by latest activity and returns a thread with its messages", async () => {
    const world = await createTestWorld();
    const params = { mailboxId: world.mailbox.id };
    const root = await inbound(world, { subject: "Project kickoff", messageId: "<root@example.org>" });
    const lone = await inbound(world, { subject: "Unrelated" });
    const reply = await outbound(world, { subject: "Re: Project kickoff", inReplyTo: "<root@example.org>", references: ["<root@example.org>"], to: [{ address: "sender@example.org" }] });
    expect(reply.threadId).toBe(root.threadId);

    const list = await call(threadsRoute.GET, "GET", "/x", { key: world.keys.read, params });
    expect(list.status).toBe(200);
    expect(list.json.data.map((t: { id: string }) => t.id)).toEqual([root.threadId, lone.threadId]);
    expect(list.json.data[0]).toMatchObject({ subject: "Re: Project kickoff", messageCount: 2, unreadCount: 2 });
    const p1 = await call(threadsRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { limit: "1" } });
    const p2 = await call(threadsRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { limit: "1", cursor: p1.json.nextCursor } });
    expect([p1.json.data[0].id, p2.json.data[0].id]).toEqual([root.threadId, lone.threadId]);
    expect(p2.json.nextCursor).toBeNull();

    const thread = await call(threadRoute.GET, "GET", "/x", { key: world.keys.read, params: { ...params, threadId: root.threadId } });
    expect(thread.status).toBe(200);
    expect(thread.json.messages.map((m: { id: string }) => m.id)).toEqual([root.id, reply.id]);
    expect(thread.json.messages[1]).toMatchObject({ direction: "outbound", inReplyTo: "<root@example.org>", text: expect.any(String) });
  });

  it("reports limits, sends this minute and day, and storage", async () => {
    const world = await createTestWorld();
    await inbound(world, { attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.alloc(1000, 97) }] });
    const now = Date.now();
    await getDb().rateLimitCounter.createMany({
      data: [
        { scope: `mailbox:${world.mailbox.id}:minute`, windowStart: new Date(windowStart(now, 60_000)), count: 3, expiresAt: new Date(now + 120_000) },
        { scope: `mailbox:${world.mailbox.id}:day`, windowStart: new Date(windowStart(now, 86_400_000)), count: 17, expiresAt: new Date(now + 86_400_000) },
      ],
    });
    const res = await call(usageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ limits: { sendPerMinute: 60, sendPerDay: 1000 }, storage: { messages: 1, attachments: 1 } });
    expect(res.json.storage.bytes).toBeGreaterThan(1000);
    // A minute boundary may pass between the insert and the read.
    expect([0, 3]).toContain(res.json.used.sentThisMinute);
    expect(res.json.used.sentToday).toBe(17);
  });
});

describe("isolation: every message route answers 404 for another mailbox or tenant", () => {
  it("cross-mailbox and cross-tenant ids are not found", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const a2 = await createTestMailbox(a.tenant.id);
    const a2Key = (await createTestKey(a.tenant.id, { mailboxId: a2.id, role: "management" })).secret;
    const m = await inbound(a, { attachments: [{ filename: "f.txt", contentType: "text/plain", content: Buffer.from("secret") }] });
    const attachmentId = (await getDb().attachment.findFirstOrThrow({ where: { messageId: m.id } })).id;
    const own = { mailboxId: a.mailbox.id, messageId: m.id, threadId: m.threadId, attachmentId };

    type H = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const routes: [string, H, string, unknown?][] = [
      ["GET", messagesRoute.GET as H, "list"],
      ["GET", messageRoute.GET as H, "get"],
      ["PATCH", messageRoute.PATCH as H, "patch", { read: true }],
      ["DELETE", messageRoute.DELETE as H, "delete"],
      ["GET", attachmentRoute.GET as H, "attachment"],
      ["GET", threadsRoute.GET as H, "threads"],
      ["GET", threadRoute.GET as H, "thread"],
      ["GET", usageRoute.GET as H, "usage"],
    ];
    // Sanity: the owner's tenant key reaches every route.
    for (const [method, handler, name, body] of routes.filter((r) => r[2] !== "delete")) {
      const res = await call(handler, method, "/x", { key: a.keys.tenant, params: own, body });
      expect(res.status, `own ${name}`).toBe(200);
    }
    await getDb().message.update({ where: { id: m.id }, data: { read: false } });
    const attempts: [string, string, Record<string, string>][] = [
      // Another tenant's management key, naming tenant A's mailbox.
      ["other tenant key", b.keys.tenant, own],
      // A key of another mailbox of the same tenant, naming mailbox A.
      ["other mailbox key", a2Key, own],
      // A legitimate mailbox with another mailbox's message, thread and attachment ids.
      ["foreign ids in own mailbox", a2Key, { ...own, mailboxId: a2.id }],
      ["foreign ids via tenant key", a.keys.tenant, { ...own, mailboxId: a2.id }],
      ["other tenant's ids in its own mailbox", b.keys.tenant, { ...own, mailboxId: b.mailbox.id }],
    ];
    for (const [label, key, params] of attempts) {
      for (const [method, handler, name, body] of routes) {
        const res = await call(handler, method, "/x", { key, params, body });
        const scopedToMailbox = ["list", "threads", "usage"].includes(name) && params.mailboxId !== a.mailbox.id;
        if (scopedToMailbox) {
          // The caller's own mailbox: allowed, and shows none of A's data.
          expect(res.status, `${label} ${name}`).toBe(200);
          expect(res.text, `${label} ${name}`).not.toContain(m.id);
          continue;
        }
        expect(res.status, `${label} ${name}`).toBe(404);
        expect(res.json.error.code).toBe("not_found");
      }
    }
    // Nothing was changed or deleted by the refused calls.
    const after = await getDb().message.findFirstOrThrow({ where: { id: m.id } });
    expect(after.read).toBe(false);
  });
});

describe("list query parameters", () => {
  it("refuses an unknown or misspelt parameter with 400 instead of silently ignoring it", async () => {
    const world = await createTestWorld();
    const params = { mailboxId: world.mailbox.id };
    const cases = [
      call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { unraed: "true" } }),
      call(threadsRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { limt: "5" } }),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
      expect(JSON.stringify(res.json.error.details)).toMatch(/unraed|limt/);
    }
    const ok = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params, query: { unread: "true", limit: "5" } });
    expect(ok.status).toBe(200);
  });
});
