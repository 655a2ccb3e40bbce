import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import * as mailboxRoute from "@/app/api/v1/mailboxes/[mailboxId]/route";
import * as usage from "@/app/api/v1/mailboxes/[mailboxId]/usage/route";
import { getDb } from "@/lib/db";
import { getMessageDto, storeInboundMessage } from "@/lib/messages/store-message";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { listDevOutbox } from "@/lib/outbound/list-dev-outbox";
import { mailboxSendScopes } from "@/lib/limits/consume-send-limit";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

const send = (key: string, mailboxId: string, body: unknown, headers: Record<string, string> = {}) =>
  call(messages.POST, "POST", `/api/v1/mailboxes/${mailboxId}/messages`, { key, params: { mailboxId }, body, headers });

const basic = { to: ["ann@example.com"], subject: "Hello", text: "Hi Ann" };

describe("POST /api/v1/mailboxes/{id}/messages", () => {
  it("accepts a send with 202 and the queued message, one outbox job, one limit count", async () => {
    const world = await createTestWorld();
    const res = await send(world.keys.read_write, world.mailbox.id, {
      to: ["Ann Example <ann@example.com>", "bob@example.com"],
      cc: "carl@example.com",
      bcc: ["dora@example.com"],
      replyTo: "support@example.com",
      subject: "Hello",
      text: "Hi Ann",
      html: "<p>Hi Ann</p>",
      headers: { "X-Campaign": "c1", "List-Unsubscribe": "<mailto:u@example.com>" },
      attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("hello file").toString("base64") }],
    });
    expect(res.status).toBe(202);
    const domain = world.mailbox.address.split("@")[1];
    expect(res.json).toMatchObject({
      mailboxId: world.mailbox.id,
      direction: "outbound",
      status: "queued",
      from: { address: world.mailbox.address },
      to: [{ address: "ann@example.com", name: "Ann Example" }, { address: "bob@example.com", name: null }],
      cc: [{ address: "carl@example.com" }],
      bcc: [{ address: "dora@example.com" }],
      subject: "Hello",
      text: "Hi Ann",
      html: "<p>Hi Ann</p>",
      inReplyTo: null,
      references: [],
      attachments: [{ filename: "a.txt", contentType: "text/plain", size: 10 }],
    });
    expect(res.json.messageId).toBe(`<${res.json.id}@${domain}>`);
    const jobs = await getDb().job.findMany({ where: { tenantId: world.tenant.id } });
    expect(jobs).toMatchObject([{ kind: "outbound.deliver", messageId: res.json.id, status: "pending" }]);
    const counters = await getDb().rateLimitCounter.findMany({ where: { scope: { in: Object.values(mailboxSendScopes(world.mailbox.id)) } } });
    expect(counters.map((c) => c.count)).toEqual([1, 1]);
    // The usage route reads the same counters: one send of four recipients counts once.
    const used = await call(usage.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(used.json.used).toEqual({ sentThisMinute: 1, sentToday: 1 });
    // The read API sees the same message.
    const stored = await getMessageDto({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, id: res.json.id });
    expect(stored.status).toBe("queued");
  });

  it("refuses invalid input with 400 and stores nothing", async () => {
    const world = await createTestWorld();
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    const cases: unknown[] = [
      { ...basic, to: [] },
      { ...basic, to: ["not-an-address"] },
      { ...basic, to: ["ann@example.com\r\nBcc: evil@example.com"] },
      { ...basic, to: ["Ann\n <ann@example.com>"] },
      { ...basic, subject: "Hi\r\nBcc: evil@example.com" },
      { ...basic, subject: "Hi\u0000" },
      { ...basic, headers: { "X-Ok": "a\nb" } },
      { ...basic, headers: { Bcc: "evil@example.com" } },
      { ...basic, headers: { "reply-to": "evil@example.com" } },
      { ...basic, headers: { "Message-ID": "<x@y>" } },
      { ...basic, headers: { "Content-Type": "text/html" } },
      { ...basic, headers: { "MIME-Version": "1.0" } },
      { ...basic, headers: { Sender: "x@y.z" } },
      { to: basic.to, subject: "no body" },
      { ...basic, to: many },
      { ...basic, to: many.slice(0, 30), cc: many.slice(30, 45), bcc: many.slice(45, 51) },
      { ...basic, attachments: [{ filename: "a.bin", contentType: "application/octet-stream", content: "not base64!" }] },
      { ...basic, attachments: [{ filename: "a\r\n.bin", content: "aGVsbG8=" }] },
      { ...basic, extra: true },
    ];
    for (const body of cases) {
      const res = await send(world.keys.read_write, world.mailbox.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
      expect(res.json.error.details.length).toBeGreaterThan(0);
    }
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
  });

  it("any subject, address or header value with CR or LF is a 400 through the route (property)", async () => {
    const world = await createTestWorld();
    const dirty = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\r", "\n", "\r\n"), fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c);
    await fc.assert(
      fc.asyncProperty(dirty, fc.constantFrom("subject", "to", "cc", "replyTo", "header"), async (value, field) => {
        const body =
          field === "subject" ? { ...basic, subject: value }
          : field === "header" ? { ...basic, headers: { "X-Note": value } }
          : { ...basic, [field]: [`Name ${value} <ann@example.com>`] };
        const res = await send(world.keys.read_write, world.mailbox.id, body);
        return res.status === 400 && res.json.error.code === "validation_error";
      }),
      { numRuns: 40 },
    );
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
  });

  it("answers 413 for more than 25 MB, by Content-Length and by the body read", async () => {
    const world = await createTestWorld();
    const declared = await call(messages.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      rawBody: JSON.stringify(basic),
      headers: { "content-type": "application/json", "content-length": String(30 * 1024 * 1024) },
    });
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe("payload_too_large");
    const big = Buffer.alloc(19 * 1024 * 1024, 7).toString("base64"); // ~25.3 MiB of base64
    const res = await send(world.keys.read_write, world.mailbox.id, {
      ...basic,
      attachments: [{ filename: "big.bin", content: big }],
    });
    expect(res.status).toBe(413);
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
  });

  it("the largest hostile bodies finish: 25 MB of html \"<\" is accepted with a snippet, a 25 MB 'to' of spaces is a 400", async () => {
    const world = await createTestWorld();
    const html = "<".repeat(25 * 1024 * 1024 - 1024);
    const res = await send(world.keys.read_write, world.mailbox.id, { to: "ann@example.com", subject: "Hostile", html });
    expect(res.status).toBe(202);
    const listed = await call(messages.GET, "GET", `/api/v1/mailboxes/${world.mailbox.id}/messages`, { key: world.keys.read_write, params: { mailboxId: world.mailbox.id } });
    expect(listed.json.data[0].snippet).toBe(`${"<".repeat(199)}…`);
    const spaces = await send(world.keys.read_write, world.mailbox.id, { to: `${" ".repeat(25 * 1024 * 1024)}x`, subject: "s", text: "t" });
    expect(spaces.status).toBe(400);
    expect(spaces.json.error.code).toBe("validation_error");
  });

  it("needs read_write; a suspended mailbox cannot send, not even with a management key", async () => {
    const world = await createTestWorld();
    const readOnly = await send(world.keys.read, world.mailbox.id, basic);
    expect(readOnly.status).toBe(403);
    expect(readOnly.json.error.code).toBe("forbidden");
    expect((await send(world.keys.management, world.mailbox.id, basic)).status).toBe(202);
    expect((await send(world.keys.tenant, world.mailbox.id, basic)).status).toBe(202);

    await call(mailboxRoute.PATCH, "PATCH", "/x", { key: world.keys.tenant, params: { mailboxId: world.mailbox.id }, body: { status: "suspended" } });
    for (const key of [world.keys.read_write, world.keys.tenant]) {
      const res = await send(key, world.mailbox.id, basic);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("mailbox_suspended");
    }
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(2);
  });

  it("another tenant's mailbox is not found", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const res = await send(b.keys.tenant, a.mailbox.id, basic);
    expect(res.status).toBe(404);
    const other = await createTestMailbox(a.tenant.id);
    expect((await send(a.keys.read_write, other.id, basic)).status).toBe(404);
  });
});

describe("mailbox send limits", () => {
  it("20 concurrent sends against a limit of 5 accept exactly 5; another mailbox sends meanwhile without delay", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerMinute: 5 } });
    const other = await createTestMailbox(world.tenant.id);
    const otherKey = await createTestKey(world.tenant.id, { mailboxId: other.id, role: "read_write" });

    const limited = Array.from({ length: 20 }, () => send(world.keys.read_write, world.mailbox.id, basic));
    const otherStarted = Date.now();
    const others = Array.from({ length: 5 }, () => send(otherKey.secret, other.id, basic));
    const otherResults = await Promise.all(others);
    const otherMs = Date.now() - otherStarted;
    const results = await Promise.all(limited);

    expect(otherResults.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const statuses = results.map((r) => r.status);
    // A minute boundary inside the burst would open a new window; the test runs well inside one.
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.json.error.code).toBe("rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-policy")).toBe('"mailbox-minute";q=5;w=60');
    expect(refused.headers.get("ratelimit")).toBe(`"mailbox-minute";r=0;t=${retryAfter}`);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(5);
    expect(await getDb().job.count({ where: { mailboxId: world.mailbox.id } })).toBe(5);
    expect(otherMs).toBeLessThan(5_000);
  });

  it("the day limit answers with the wait until the next UTC day", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerDay: 1 } });
    expect((await send(world.keys.read_write, world.mailbox.id, basic)).status).toBe(202);
    const res = await send(world.keys.read_write, world.mailbox.id, basic);
    expect(res.status).toBe(429);
    const now = Date.now();
    const expected = Math.ceil((Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000 - now) / 1000);
    expect(Math.abs(Number(res.headers.get("retry-after")) - expected)).toBeLessThanOrEqual(2);
    expect(res.headers.get("ratelimit-policy")).toBe('"mailbox-day";q=1;w=86400');
  });
});

describe("reply", () => {
  it("replies in the thread to the sender's Reply-To, with In-Reply-To, References and Re:", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const original = await storeInboundMessage({
      ...scope,
      content: testContent({
        from: { address: "sally@example.org", name: "Sally" },
        replyTo: [{ address: "replies@example.org", name: null }],
        to: [{ address: world.mailbox.address, name: null }, { address: "team@example.org", name: null }],
        cc: [{ address: "boss@example.org", name: "Boss" }, { address: world.mailbox.address.toUpperCase(), name: null }],
        subject: "Invoice",
        references: ["<root@example.org>"],
      }),
    });
    const originalDto = await getMessageDto({ ...scope, id: original.message.id });
    const path = `/api/v1/mailboxes/${world.mailbox.id}/messages/${original.message.id}/reply`;
    const params = { mailboxId: world.mailbox.id, messageId: original.message.id };

    const res = await call(reply.POST, "POST", path, { key: world.keys.read_write, params, body: { text: "Thanks!" } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      threadId: original.message.threadId,
      subject: "Re: Invoice",
      to: [{ address: "replies@example.org" }],
      cc: [],
      inReplyTo: originalDto.messageId,
      references: ["<root@example.org>", originalDto.messageId],
      status: "queued",
    });

    const all = await call(reply.POST, "POST", path, { key: world.keys.read_write, params, body: { html: "<p>All</p>", replyAll: true } });
    expect(all.status).toBe(202);
    expect(all.json.to.map((p: { address: string }) => p.address)).toEqual(["replies@example.org"]);
    expect(all.json.cc.map((p: { address: string }) => p.address)).toEqual(["team@example.org", "boss@example.org"]);

    // Replying to the reply keeps "Re:" single and the thread.
    const again = await call(reply.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${res.json.id}/reply`, {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id, messageId: res.json.id },
      body: { text: "More" },
    });
    expect(again.json).toMatchObject({ subject: "Re: Invoice", threadId: original.message.threadId, to: [{ address: "replies@example.org" }] });
    expect(again.json.references).toEqual(["<root@example.org>", originalDto.messageId, res.json.messageId]);

    const missing = await call(reply.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id, messageId: "0190a3c4-0000-7000-8000-000000000000" },
      body: { text: "x" },
    });
    expect(missing.status).toBe(404);
    const other = await createTestWorld();
    const cross = await call(reply.POST, "POST", "/x", {
      key: other.keys.tenant,
      params: { mailboxId: other.mailbox.id, messageId: original.message.id },
      body: { text: "x" },
    });
    expect(cross.status).toBe(404);
    expect((await call(reply.POST, "POST", "/x", { key: world.keys.read_write, params, body: {} })).status).toBe(400);
  });
});

describe("local provider", () => {
  it("delivers to mailboxes of this deployment as inbound and records other mail in the dev outbox", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const res = await send(a.keys.read_write, a.mailbox.id, {
      to: [b.mailbox.address.toUpperCase(), "outside@example.com"],
      bcc: ["hidden@example.com"],
      subject: "Internal hello",
      text: "Hi B",
    });
    expect(res.status).toBe(202);
    const worker = createOutboxWorker({ backoffBaseMs: 10 });
    // Earlier tests left queued mail too: drain the outbox.
    while ((await worker.runOnce()) > 0);

    const sent = await getMessageDto({ tenantId: a.tenant.id, mailboxId: a.mailbox.id, id: res.json.id });
    expect(sent.status).toBe("sent");
    const inbound = await getDb().message.findMany({ where: { tenantId: b.tenant.id, mailboxId: b.mailbox.id } });
    expect(inbound).toHaveLength(1);
    const received = await getMessageDto({ tenantId: b.tenant.id, mailboxId: b.mailbox.id, id: inbound[0].id });
    expect(received).toMatchObject({ direction: "inbound", status: "received", subject: "Internal hello", text: "Hi B", bcc: [] });
    expect(received.messageId).toBe(sent.messageId);

    // A second run (e.g. after a crash) delivers nothing twice.
    await getDb().job.updateMany({ where: { messageId: res.json.id }, data: { status: "pending" } });
    await getDb().message.update({ where: { id: res.json.id }, data: { status: "queued" } });
    expect(await worker.runOnce()).toBe(1);
    expect(await getDb().message.count({ where: { mailboxId: b.mailbox.id } })).toBe(1);

    const outbox = await listDevOutbox({ tenantId: a.tenant.id, limit: 10 });
    expect(outbox.data).toMatchObject([{ id: res.json.id, subject: "Internal hello", status: "sent" }]);
    expect((await listDevOutbox({ tenantId: b.tenant.id, limit: 10 })).data).toHaveLength(0);
  });
});
