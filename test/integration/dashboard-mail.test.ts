// The dashboard's mail actions: the same lib functions as REST (threading, suppression,
// idempotency), refused on the server for a viewer and for another tenant.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { getMessageDto } from "@/lib/messages/get-message";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestTenant } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";
import { signInAs } from "@/test/helpers/session";
import { call } from "@/test/helpers/api";
import {
  addSuppressionAction,
  composeAction,
  forwardAction,
  removeSuppressionAction,
  replyAction,
  updateMessagesAction,
} from "@/app/(dashboard)/mailboxes/[id]/mail-actions";
import * as mailRoute from "@/app/api/dashboard/mailboxes/[mailboxId]/mail/route";
import * as threadRoute from "@/app/api/dashboard/mailboxes/[mailboxId]/threads/[threadId]/route";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function member(tenantId: string, role: MemberRole) {
  const db = getDb();
  const user = await db.user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  await db.membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return user;
}

let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let mailbox: Awaited<ReturnType<typeof createTestMailbox>>;
let inbound: Awaited<ReturnType<typeof storeInboundMessage>>["message"];
let admin: Awaited<ReturnType<typeof member>>;
let viewer: Awaited<ReturnType<typeof member>>;

beforeAll(async () => {
  tenant = await createTestTenant();
  mailbox = await createTestMailbox(tenant.id, "desk");
  admin = await member(tenant.id, "admin");
  viewer = await member(tenant.id, "viewer");
  ({ message: inbound } = await storeInboundMessage({
    tenantId: tenant.id,
    mailboxId: mailbox.id,
    content: testContent({
      to: [{ address: mailbox.address, name: null }],
      cc: [{ address: "colleague@example.org", name: "Col League" }],
      attachments: [{ filename: "invoice.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 invoice") }],
    }),
  }));
});

describe("a viewer sees mail but cannot send or file it", () => {
  it("is refused compose, reply, forward, mark read, labels and suppressions on the server, and nothing is stored", async () => {
    signInAs(viewer.id, tenant.id);
    const before = await getDb().message.count({ where: { tenantId: tenant.id } });
    const refusals = [
      await composeAction({ mailboxId: mailbox.id, idempotencyKey: randomUUID(), message: { to: ["x@example.org"], subject: "Hi", text: "Hi" } }),
      await replyAction({ mailboxId: mailbox.id, messageId: inbound.id, idempotencyKey: randomUUID(), reply: { text: "Hi" } }),
      await forwardAction({ mailboxId: mailbox.id, messageId: inbound.id, idempotencyKey: randomUUID(), forward: { to: ["x@example.org"] } }),
      await updateMessagesAction({ mailboxId: mailbox.id, messageIds: [inbound.id], changes: { read: true, labels: ["x"] } }),
      await addSuppressionAction({ mailboxId: mailbox.id, suppression: { address: "x@example.org" } }),
      await removeSuppressionAction({ mailboxId: mailbox.id, address: "x@example.org" }),
    ];
    for (const result of refusals) expect(result).toMatchObject({ ok: false, error: { code: "forbidden", message: expect.stringContaining("viewer") } });
    expect(await getDb().message.count({ where: { tenantId: tenant.id } })).toBe(before);
    expect(await getDb().suppression.count({ where: { tenantId: tenant.id } })).toBe(0);
    const row = await getDb().message.findUniqueOrThrow({ where: { id: inbound.id } });
    expect([row.read, row.labels]).toEqual([false, []]);

    // Reading is allowed: the thread list and the thread.
    const list = await call(mailRoute.GET, "GET", "/x", { params: { mailboxId: mailbox.id } });
    expect(list.status).toBe(200);
    expect(list.json.data.map((r: { threadId: string }) => r.threadId)).toContain(inbound.threadId);
    const thread = await call(threadRoute.GET, "GET", "/x", { params: { mailboxId: mailbox.id, threadId: inbound.threadId } });
    expect(thread.status).toBe(200);
    expect(thread.json.messages[0].text).toContain("invoice");
  });
});

describe("an admin answers mail from the dashboard", () => {
  it("replies all in the thread with In-Reply-To and References, once per form token", async () => {
    signInAs(admin.id, tenant.id);
    const original = await getMessageDto({ tenantId: tenant.id, mailboxId: mailbox.id, id: inbound.id });
    const token = randomUUID();
    const input = { mailboxId: mailbox.id, messageId: inbound.id, idempotencyKey: token, reply: { text: "Thanks, paid.", replyAll: true } };
    const first = await replyAction(input);
    if (!first.ok) throw new Error(first.error.message);
    const again = await replyAction(input);
    expect(again).toEqual(first);
    const reply = await getMessageDto({ tenantId: tenant.id, mailboxId: mailbox.id, id: first.data.id });
    expect(reply).toMatchObject({
      threadId: inbound.threadId,
      direction: "outbound",
      status: expect.stringMatching(/queued|sent|delivered/),
      subject: "Re: Quarterly invoice",
      inReplyTo: original.messageId,
      references: [original.messageId],
    });
    expect(reply.to.map((p) => p.address)).toEqual(["sender@example.org"]);
    expect(reply.cc.map((p) => p.address)).toEqual(["colleague@example.org"]);
    expect(await getDb().message.count({ where: { tenantId: tenant.id, threadId: inbound.threadId, direction: "outbound" } })).toBe(1);
  });

  it("forwards with the quoted original and its attachment, in the same thread", async () => {
    signInAs(admin.id, tenant.id);
    const result = await forwardAction({
      mailboxId: mailbox.id,
      messageId: inbound.id,
      idempotencyKey: randomUUID(),
      forward: { to: ["Accounts <accounts@example.org>"], text: "FYI <b>not html</b>" },
    });
    if (!result.ok) throw new Error(result.error.message);
    const fwd = await getMessageDto({ tenantId: tenant.id, mailboxId: mailbox.id, id: result.data.id });
    expect(fwd).toMatchObject({ threadId: inbound.threadId, subject: "Fwd: Quarterly invoice", inReplyTo: null, to: [{ address: "accounts@example.org", name: "Accounts" }] });
    expect(fwd.references).toEqual([(await getMessageDto({ tenantId: tenant.id, mailboxId: mailbox.id, id: inbound.id })).messageId]);
    expect(fwd.text).toContain('FYI <b>not html</b>\n\n---------- Forwarded message ---------\nFrom: "Sally Sender" <sender@example.org>');
    expect(fwd.text).toContain("Hello, please find the invoice attached.");
    // A text note over a text original stays text: the note is never read as HTML.
    expect(fwd.html).toBeNull();
    expect(fwd.attachments.map((a) => [a.filename, a.size])).toEqual([["invoice.pdf", 16]]);
  });

  it("marks read and labels messages; another tenant's message is not found", async () => {
    signInAs(admin.id, tenant.id);
    const marked = await updateMessagesAction({ mailboxId: mailbox.id, messageIds: [inbound.id], changes: { read: true, labels: ["billing", "billing", "paid"] } });
    expect(marked).toEqual({ ok: true, data: [{ id: inbound.id, read: true, labels: ["billing", "paid"] }] });
    const unread = await call(mailRoute.GET, "GET", "/x", { params: { mailboxId: mailbox.id }, query: { unread: "true" } });
    expect(unread.json.data.map((r: { key: string }) => r.key)).not.toContain(inbound.id);
    const labelled = await call(mailRoute.GET, "GET", "/x", { params: { mailboxId: mailbox.id }, query: { label: "paid" } });
    expect(labelled.json.data).toMatchObject([{ key: inbound.id, kind: "message", unread: false, labels: ["billing", "paid"] }]);

    const other = await createTestTenant();
    const otherBox = await createTestMailbox(other.id);
    const { message: foreign } = await storeInboundMessage({ tenantId: other.id, mailboxId: otherBox.id, content: testContent() });
    const results = [
      await updateMessagesAction({ mailboxId: otherBox.id, messageIds: [foreign.id], changes: { read: true } }),
      await replyAction({ mailboxId: otherBox.id, messageId: foreign.id, idempotencyKey: randomUUID(), reply: { text: "x" } }),
      await replyAction({ mailboxId: mailbox.id, messageId: foreign.id, idempotencyKey: randomUUID(), reply: { text: "x" } }),
    ];
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await call(mailRoute.GET, "GET", "/x", { params: { mailboxId: otherBox.id } })).status).toBe(404);
    expect((await call(threadRoute.GET, "GET", "/x", { params: { mailboxId: mailbox.id, threadId: foreign.threadId } })).status).toBe(404);
  });

  it("refuses a send to a suppressed address with a message naming it, and sends again once removed", async () => {
    signInAs(admin.id, tenant.id);
    expect(await addSuppressionAction({ mailboxId: mailbox.id, suppression: { address: "Blocked@Example.org" } })).toEqual({
      ok: true,
      data: { created: true, address: "blocked@example.org" },
    });
    const message = { to: ["ok@example.org", "blocked@example.org"], subject: "Hello", text: "Hi" };
    const refused = await composeAction({ mailboxId: mailbox.id, idempotencyKey: randomUUID(), message });
    expect(refused).toEqual({
      ok: false,
      error: { code: "recipient_suppressed", message: "This mailbox may not send to blocked@example.org (suppressed)" },
    });
    expect(await getDb().message.count({ where: { tenantId: tenant.id, direction: "outbound", threadId: { not: inbound.threadId } } })).toBe(0);
    expect(await removeSuppressionAction({ mailboxId: mailbox.id, address: "blocked@example.org" })).toMatchObject({ ok: true });
    const sent = await composeAction({ mailboxId: mailbox.id, idempotencyKey: randomUUID(), message });
    expect(sent).toMatchObject({ ok: true, data: { to: ["ok@example.org", "blocked@example.org"] } });
  });

  it("validates with the REST schemas: a header break in the subject and a bad address are refused", async () => {
    signInAs(admin.id, tenant.id);
    const results = [
      await composeAction({ mailboxId: mailbox.id, idempotencyKey: randomUUID(), message: { to: ["a@example.org"], subject: "Hi\r\nBcc: x@evil.test", text: "x" } }),
      await composeAction({ mailboxId: mailbox.id, idempotencyKey: randomUUID(), message: { to: ["not an address"], subject: "Hi", text: "x" } }),
      await forwardAction({ mailboxId: mailbox.id, messageId: inbound.id, idempotencyKey: randomUUID(), forward: { to: [] } }),
      await composeAction({ mailboxId: mailbox.id, idempotencyKey: "not-a-token", message: { to: ["a@example.org"], subject: "Hi", text: "x" } }),
    ];
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: "validation_error" } });
  });
});
