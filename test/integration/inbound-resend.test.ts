// Resend inbound end to end: a svix-signed email.received, the receipt and fetch job
// committed before the answer, then the worker fetching content and attachments with
// the real `resend` SDK from the fake Resend (RESEND_BASE_URL), and what a user reads.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import PostalMime from "postal-mime";
import { Webhook } from "svix";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as resendWebhook } from "@/app/api/webhooks/resend/route";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as attachmentRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import { getDb } from "@/lib/db";
import { exportEnv, readRawEnv } from "@/lib/env";
import { RESEND_FETCH_JOB } from "@/lib/inbound/fetch-resend-received";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { FakeResend } from "@/test/helpers/fake-resend";

setupTestDatabase();

const FIXTURES = path.join(import.meta.dirname, "../fixtures/emails");
const fake = new FakeResend();
const previous = { RESEND_API_KEY: readRawEnv("RESEND_API_KEY") ?? "", RESEND_BASE_URL: readRawEnv("RESEND_BASE_URL") ?? "" };

beforeAll(async () => {
  await fake.start();
  exportEnv({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: fake.url });
});
afterAll(async () => {
  exportEnv(previous);
  await fake.stop();
});
beforeEach(async () => {
  fake.reset();
  await getDb().job.deleteMany({});
});

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function postEvent(emailId: string, extra: Record<string, unknown> = {}, id = `msg_${randomUUID()}`) {
  const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: emailId, ...extra } });
  const at = new Date();
  const res = await resendWebhook(
    new Request("http://localhost/api/webhooks/resend", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
        "svix-signature": new Webhook(readRawEnv("RESEND_WEBHOOK_SECRET")!).sign(id, at, body),
      },
      body,
    }),
  );
  return { status: res.status, json: await res.json() };
}

async function drain() {
  const worker = createOutboxWorker({ backoffBaseMs: 1 });
  for (let i = 0; i < 100; i++) {
    const ran = await worker.runOnce();
    const left = await getDb().job.count({ where: { kind: RESEND_FETCH_JOB, status: { in: ["pending", "running"] } } });
    if (left === 0) return;
    if (ran === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the fetch jobs did not finish");
}

async function inbox(world: World) {
  const res = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
  return res.json.data as { id: string; subject: string }[];
}

async function attachmentBytes(world: World, messageId: string, attachmentId: string): Promise<Buffer> {
  const handler = attachmentRoute.GET as unknown as (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
  const res = await handler(new Request("http://localhost/x", { headers: { authorization: `Bearer ${world.keys.read}` } }), {
    params: Promise.resolve({ mailboxId: world.mailbox.id, messageId, attachmentId }),
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("Resend email.received", () => {
  it("answers at once with the fetch queued, then the worker stores content, headers and byte-exact attachments", async () => {
    const world = await createTestWorld();
    const raw = readFileSync(path.join(FIXTURES, "html-inline-images-cid-rfc2231-filename.eml"));
    const emailId = await fake.receiveRaw(raw, [world.mailbox.address]);

    const res = await postEvent(emailId, { received_for: [world.mailbox.address] });
    expect(res).toMatchObject({ status: 200, json: { received: true, duplicate: false } });
    // The answer did not wait for the content.
    expect(fake.receivingRequests).toBe(0);
    expect(await inbox(world)).toHaveLength(0);
    expect(await getDb().job.count({ where: { kind: RESEND_FETCH_JOB, status: "pending" } })).toBe(1);

    await drain();
    const expected = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
    const [listed] = await inbox(world);
    const message = (await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: listed.id } })).json;
    expect(message).toMatchObject({ subject: expected.subject, text: expected.text, html: expected.html, messageId: expected.messageId, direction: "inbound" });
    expect(message.html).toContain("cid:");
    expect(message.headers.length).toBeGreaterThan(5);
    expect(message.attachments.map((a: { filename: string }) => a.filename)).toEqual(expected.attachments.map((a, i) => a.filename || `attachment-${i + 1}`));
    for (const [i, want] of expected.attachments.entries()) {
      expect(message.attachments[i].contentId).toBe(want.contentId ?? null);
      expect((await attachmentBytes(world, message.id, message.attachments[i].id)).equals(Buffer.from(want.content as ArrayBuffer))).toBe(true);
    }
    expect(await getDb().job.count({ where: { kind: RESEND_FETCH_JOB, status: "done" } })).toBe(1);
  });

  it("the same webhook three times queues one fetch and stores one message", async () => {
    const world = await createTestWorld();
    const emailId = await fake.receiveRaw(readFileSync(path.join(FIXTURES, "plain-text.eml")), [world.mailbox.address]);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postEvent(emailId, { received_for: [world.mailbox.address] }, "msg_resend_same"));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.json.duplicate)).toEqual([false, true, true]);
    // Resend sending the same email under a new webhook id still stores it once.
    await postEvent(emailId, { received_for: [world.mailbox.address] });
    await drain();
    expect(await inbox(world)).toHaveLength(1);
  });

  it("retries a failing fetch with backoff and stores the message once it succeeds", async () => {
    const world = await createTestWorld();
    const emailId = await fake.receiveRaw(readFileSync(path.join(FIXTURES, "attachment-pdf-base64-utf8-subject.eml")), [world.mailbox.address]);
    fake.scriptReceiving({ kind: "status", status: 500 }, { kind: "status", status: 429 }, { kind: "reset" });
    await postEvent(emailId, { received_for: [world.mailbox.address] });
    await drain();
    const job = await getDb().job.findFirstOrThrow({ where: { kind: RESEND_FETCH_JOB } });
    expect(job).toMatchObject({ status: "done", attempts: 4 });
    expect((await inbox(world)).map((m) => m.subject)).toEqual(["Another PDF with 🎉 Unicode chars in it 🍿"]);
  });

  it("a fetch that keeps failing ends as a failed job with its reason; a 404 fails at once", async () => {
    const world = await createTestWorld();
    const emailId = await fake.receiveRaw(readFileSync(path.join(FIXTURES, "plain-text.eml")), [world.mailbox.address]);
    fake.scriptReceiving(...Array.from({ length: 8 }, () => ({ kind: "status" as const, status: 503, message: "Resend is down" })));
    await postEvent(emailId, { received_for: [world.mailbox.address] });
    await drain();
    const failed = await getDb().job.findFirstOrThrow({ where: { kind: RESEND_FETCH_JOB } });
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBe(8);
    expect(failed.lastError).toContain("503");
    expect(await inbox(world)).toHaveLength(0);

    await getDb().job.deleteMany({});
    await postEvent(randomUUID(), { received_for: [world.mailbox.address] });
    await drain();
    const gone = await getDb().job.findFirstOrThrow({ where: { kind: RESEND_FETCH_JOB } });
    expect(gone).toMatchObject({ status: "failed", attempts: 1 });
    expect(gone.lastError).toContain("404");
  });

  it("routes by the envelope (received_for) and drops unknown addresses", async () => {
    const world = await createTestWorld();
    const other = await createTestWorld();
    const bcc = fake.receive({
      from: "Ann <ann@outside.example>",
      to: ["team@outside.example"],
      receivedFor: [world.mailbox.address],
      subject: "Bcc'd to us",
      text: "hello",
      html: null,
      headers: { "Content-Type": "text/plain" },
      messageId: `<${randomUUID()}@outside.example>`,
      attachments: [],
    });
    const lost = await fake.receiveRaw(readFileSync(path.join(FIXTURES, "plain-text.eml")), ["nobody@nowhere.example"]);
    const before = (await getDb().droppedInboundCount.aggregate({ _sum: { count: true } }))._sum.count ?? 0;
    await postEvent(bcc, { received_for: [world.mailbox.address] });
    await postEvent(lost, { received_for: ["nobody@nowhere.example"] });
    await drain();
    expect((await inbox(world)).map((m) => m.subject)).toEqual(["Bcc'd to us"]);
    expect(await inbox(other)).toHaveLength(0);
    expect((await getDb().droppedInboundCount.aggregate({ _sum: { count: true } }))._sum.count).toBe(before + 1);
  });
});
