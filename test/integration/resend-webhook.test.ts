// Delivery events: real svix signatures (svix's own signing), statuses that never
// move backwards, duplicates ignored, and bounces/complaints feeding the sending
// mailbox's suppression list only.
import { randomUUID } from "node:crypto";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/api/webhooks/resend/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as suppressions from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/route";
import { getDb } from "@/lib/db";
import { readRawEnv } from "@/lib/env";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

const secret = () => readRawEnv("RESEND_WEBHOOK_SECRET")!;

async function post(event: unknown, options: { id?: string; at?: Date; secret?: string; signature?: string } = {}) {
  const body = JSON.stringify(event);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = options.signature ?? new Webhook(options.secret ?? secret()).sign(id, at, body);
  const res = await webhook(
    new Request("http://localhost/api/webhooks/resend", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
        "svix-signature": signature,
      },
      body,
    }),
  );
  return { status: res.status, json: await res.json() };
}

/** A sent outbound message with a provider id, as the worker leaves it. */
async function sentMessage(world: Awaited<ReturnType<typeof createTestWorld>>, to = ["ann@example.com"]) {
  const res = await call(messages.POST, "POST", "/x", {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to, subject: "Hello", text: "Hi" },
  });
  expect(res.status).toBe(202);
  const providerMessageId = randomUUID();
  await getDb().message.update({ where: { id: res.json.id }, data: { status: "sent", provider: "resend", providerMessageId } });
  return { id: res.json.id as string, providerMessageId };
}

const event = (type: string, emailId: string, extra: Record<string, unknown> = {}) => ({
  type,
  created_at: new Date().toISOString(),
  data: { email_id: emailId, from: "x@y.z", to: ["ann@example.com"], subject: "Hello", created_at: new Date().toISOString(), ...extra },
});

const statusOf = async (id: string) => (await getDb().message.findFirstOrThrow({ where: { id } })).status;

describe("POST /api/webhooks/resend", () => {
  it("refuses a bad signature, a wrong secret, an old timestamp and missing headers with 400 in the error shape", async () => {
    const world = await createTestWorld();
    const { id, providerMessageId } = await sentMessage(world);
    const e = event("email.delivered", providerMessageId);
    const cases = [
      await post(e, { signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }),
      await post(e, { secret: `whsec_${Buffer.from("another secret of 24 bytes").toString("base64")}` }),
      await post(e, { at: new Date(Date.now() - 6 * 60_000) }),
      await post(e, { at: new Date(Date.now() + 6 * 60_000) }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "validation_error", requestId: expect.stringMatching(/^req_/) });
    }
    const bare = await webhook(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: JSON.stringify(e) }));
    expect(bare.status).toBe(400);
    expect(await statusOf(id)).toBe("sent");
    // Within the tolerance it is accepted.
    expect((await post(e, { at: new Date(Date.now() - 4 * 60_000) })).status).toBe(200);
    expect(await statusOf(id)).toBe("delivered");
  });

  it("moves statuses forward only and applies a webhook id once", async () => {
    const world = await createTestWorld();
    const { id, providerMessageId } = await sentMessage(world);
    const delivered = await post(event("email.delivered", providerMessageId), { id: "msg_fixed_1" });
    expect(delivered).toMatchObject({ status: 200, json: { applied: true, duplicate: false } });
    expect(await statusOf(id)).toBe("delivered");
    expect((await post(event("email.sent", providerMessageId))).json.applied).toBe(false);
    expect((await post(event("email.delivery_delayed", providerMessageId))).json.applied).toBe(false);
    expect(await statusOf(id)).toBe("delivered");
    // The same svix id again, even with another event inside: 200 and no change.
    const replay = await post(event("email.complained", providerMessageId), { id: "msg_fixed_1" });
    expect(replay).toMatchObject({ status: 200, json: { duplicate: true, applied: false } });
    expect(await statusOf(id)).toBe("delivered");
    expect(await getDb().suppression.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    expect((await post(event("email.complained", providerMessageId))).json).toMatchObject({ applied: true, suppressed: 1 });
    expect(await statusOf(id)).toBe("complained");
  });

  it("finds the message by its tag before the provider id was saved; ignores unknown mail and unknown event types", async () => {
    const world = await createTestWorld();
    const res = await call(messages.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "Hello", text: "Hi" },
    });
    await getDb().message.update({ where: { id: res.json.id }, data: { provider: "resend" } });
    const providerId = randomUUID();
    const sent = await post(event("email.sent", providerId, { tags: { sairaph_message_id: res.json.id } }));
    expect(sent.json.applied).toBe(true);
    expect(await getDb().message.findFirstOrThrow({ where: { id: res.json.id } })).toMatchObject({ status: "sent", providerMessageId: providerId });

    expect((await post(event("email.delivered", randomUUID()))).json).toMatchObject({ applied: false, ignored: "unknown message" });
    const opened = await post({ type: "email.opened", created_at: new Date().toISOString(), data: { email_id: randomUUID() } });
    expect(opened).toMatchObject({ status: 200, json: { received: true, ignored: "email.opened" } });
  });

  it("a permanent bounce suppresses the recipient for the sending mailbox only; a soft bounce never does", async () => {
    const a = await createTestWorld();
    const sibling = await createTestMailbox(a.tenant.id);
    const siblingKey = await createTestKey(a.tenant.id, { mailboxId: sibling.id, role: "read_write" });
    const b = await createTestWorld();

    const soft = await sentMessage(a, ["soft@example.com"]);
    const softRes = await post(event("email.bounced", soft.providerMessageId, { to: ["soft@example.com"], bounce: { type: "Transient", subType: "MailboxFull", message: "full" } }));
    expect(softRes.json).toMatchObject({ applied: true, suppressed: 0 });
    expect(await statusOf(soft.id)).toBe("bounced");

    const hard = await sentMessage(a, ["Gone@Example.com"]);
    const hardRes = await post(event("email.bounced", hard.providerMessageId, {
      to: ["Gone@Example.com"],
      bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" },
    }));
    expect(hardRes.json).toMatchObject({ applied: true, suppressed: 1 });
    const row = await getDb().message.findFirstOrThrow({ where: { id: hard.id } });
    expect(row.statusReason).toMatch(/Permanent.*user unknown/);

    const list = await call(suppressions.GET, "GET", "/x", { key: a.keys.read, params: { mailboxId: a.mailbox.id } });
    expect(list.json.data).toMatchObject([{ address: "gone@example.com", reason: "bounce", messageId: hard.id }]);

    const again = await call(messages.POST, "POST", "/x", {
      key: a.keys.read_write,
      params: { mailboxId: a.mailbox.id },
      body: { to: ["ann@example.com"], cc: ["GONE@example.com"], subject: "Again", text: "x" },
    });
    expect(again.status).toBe(422);
    expect(again.json.error).toMatchObject({ code: "recipient_suppressed", suppressed: ["gone@example.com"] });
    expect(await getDb().message.count({ where: { mailboxId: a.mailbox.id } })).toBe(2);

    for (const [key, mailboxId] of [[siblingKey.secret, sibling.id], [b.keys.read_write, b.mailbox.id]] as const) {
      const ok = await call(messages.POST, "POST", "/x", { key, params: { mailboxId }, body: { to: ["gone@example.com"], subject: "Hi", text: "x" } });
      expect(ok.status).toBe(202);
    }
    const complaint = await sentMessage(b, ["angry@example.com"]);
    expect((await post(event("email.complained", complaint.providerMessageId, { to: ["angry@example.com"] }))).json.suppressed).toBe(1);
    const bList = await call(suppressions.GET, "GET", "/x", { key: b.keys.read, params: { mailboxId: b.mailbox.id } });
    expect(bList.json.data.map((s: { address: string; reason: string }) => [s.address, s.reason])).toEqual([["angry@example.com", "complaint"]]);
    const aList = await call(suppressions.GET, "GET", "/x", { key: a.keys.read, params: { mailboxId: a.mailbox.id } });
    expect(aList.json.data).toHaveLength(1);
  });
});
