// POST /api/webhooks/inbound end to end: real signatures, the real parser, the real
// database, and what a user reads back through the REST API.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import PostalMime from "postal-mime";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as attachmentRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import * as replyRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import { POST as inboundRoute } from "@/app/api/webhooks/inbound/route";
import { getDb, getPool } from "@/lib/db";
import { runHousekeeping } from "@/lib/jobs/housekeeping";
import { MAX_MESSAGE_BYTES } from "@/lib/outbound/schemas";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { inboundSecret, postRaw, rawMessage, rawRequest } from "@/test/helpers/inbound";

setupTestDatabase();

const FIXTURES = path.join(import.meta.dirname, "../fixtures/emails");
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith(".eml")).sort();

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function listAll(world: World, key = world.keys.read, mailboxId = world.mailbox.id) {
  const res = await call(messagesRoute.GET, "GET", "/x", { key, params: { mailboxId }, query: { limit: "100" } });
  expect(res.status).toBe(200);
  return res.json.data as { id: string; messageId: string; threadId: string; subject: string; labels: string[] }[];
}

async function getMessage(world: World, id: string, key = world.keys.read, mailboxId = world.mailbox.id) {
  const res = await call(messageRoute.GET, "GET", "/x", { key, params: { mailboxId, messageId: id } });
  expect(res.status).toBe(200);
  return res.json;
}

const count = async (sql: string) => Number((await getPool().query<{ n: string }>(sql)).rows[0].n);
const droppedToday = () => count(`SELECT coalesce(sum(count), 0) AS n FROM "DroppedInboundCount"`);

describe("POST /api/webhooks/inbound: real-world MIME", () => {
  it("stores every fixture as postal-mime reads it: subject, text, html, headers, byte-exact attachments and inline images", async () => {
    const world = await createTestWorld();
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(22);
    for (const file of fixtureFiles) {
      const raw = readFileSync(path.join(FIXTURES, file));
      const res = await postRaw(raw, { recipients: [world.mailbox.address] });
      expect(res.status, file).toBe(200);
      expect(res.json, file).toEqual({ received: true, duplicate: false });

      const expected = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
      const listed = await listAll(world);
      const newest = await getMessage(world, listed[0].id);
      expect(newest.subject, file).toBe(expected.subject ?? "");
      expect(newest.text, file).toBe(expected.text ?? null);
      expect(newest.html, file).toBe(expected.html ?? null);
      if (expected.from?.address) expect(newest.from, file).toEqual({ address: expected.from.address, name: expected.from.name || null });
      expect(newest.headers.length, file).toBe(expected.headers.length);
      expect(newest.attachments.length, file).toBe(expected.attachments.length);
      for (const [i, want] of expected.attachments.entries()) {
        const got = newest.attachments[i];
        expect(got.filename, file).toBe(want.filename || `attachment-${i + 1}`);
        expect(got.contentType, file).toBe(want.mimeType);
        expect(got.contentId, file).toBe(want.contentId ?? null);
        const bytes = await fetchAttachment(world, newest.id, got.id);
        expect(bytes.equals(Buffer.from(want.content as ArrayBuffer)), `${file} ${got.filename}`).toBe(true);
      }
    }
    // Spot checks a user would look at.
    const all = await listAll(world);
    const subjects = all.map((m) => m.subject);
    expect(subjects).toContain("Another PDF with 🎉 Unicode chars in it 🍿");
    expect(subjects.some((s) => s.includes("日本語"))).toBe(true);
    expect(all).toHaveLength(fixtureFiles.length);
  });

  it("serves attachment bytes exactly as sent, non-ASCII file names and Content-IDs included", async () => {
    const world = await createTestWorld();
    for (const file of ["html-inline-images-cid-rfc2231-filename.eml", "attachment-filename-japanese-rfc2231.eml", "attachment-pdf-base64-utf8-subject.eml"]) {
      const raw = readFileSync(path.join(FIXTURES, file));
      expect((await postRaw(raw, { recipients: [world.mailbox.address] })).status).toBe(200);
      const expected = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
      const [first] = await listAll(world);
      const message = await getMessage(world, first.id);
      for (const [i, want] of expected.attachments.entries()) {
        const res = await fetchAttachment(world, message.id, message.attachments[i].id);
        expect(res.equals(Buffer.from(want.content as ArrayBuffer)), `${file} #${i}`).toBe(true);
      }
      if (file.startsWith("html-inline")) {
        expect(message.attachments.map((a: { filename: string }) => a.filename)).toContain("nyan cat ✔.gif");
        const inline = message.attachments.filter((a: { inline: boolean; contentId: string | null }) => a.inline && a.contentId);
        expect(inline.length).toBeGreaterThanOrEqual(2);
        for (const a of inline) expect(message.html).toContain(`cid:${a.contentId.replace(/^<|>$/g, "")}`);
      }
    }
  });
});

async function fetchAttachment(world: World, messageId: string, attachmentId: string): Promise<Buffer> {
  const handler = attachmentRoute.GET as unknown as (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
  const res = await handler(new Request("http://localhost/x", { headers: { authorization: `Bearer ${world.keys.read}` } }), {
    params: Promise.resolve({ mailboxId: world.mailbox.id, messageId, attachmentId }),
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("POST /api/webhooks/inbound: signatures", () => {
  it("accepts a svix-signed delivery and one whose second signature matches (secret rotation)", async () => {
    const world = await createTestWorld();
    const raw = rawMessage({ to: world.mailbox.address, subject: "Signed by svix" });
    const id = "msg_svix_1";
    const at = new Date();
    const signature = new Webhook(inboundSecret()).sign(id, at, raw);
    expect((await postRaw(raw, { id, at, signature })).status).toBe(200);
    const other = rawMessage({ to: world.mailbox.address, subject: "Rotated" });
    const stale = new Webhook(`whsec_${Buffer.from("an old secret of 24 bytes").toString("base64")}`).sign("msg_rot", at, other);
    const good = new Webhook(inboundSecret()).sign("msg_rot", at, other);
    expect((await postRaw(other, { id: "msg_rot", at, signature: `${stale} ${good}` })).status).toBe(200);
    expect((await listAll(world)).map((m) => m.subject).sort()).toEqual(["Rotated", "Signed by svix"]);
  });

  it("verifies bodies that are not UTF-8 over their exact bytes", async () => {
    const world = await createTestWorld();
    const latin1 = Buffer.from(rawMessage({ to: world.mailbox.address, subject: "Caf\u00e9", body: "Gr\u00fc\u00dfe aus K\u00f6ln" }).replace("charset=utf-8", "charset=iso-8859-1"), "latin1");
    expect(latin1.includes(Buffer.from([0xe9]))).toBe(true);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(latin1)).toThrow();
    const res = await postRaw(latin1, { recipients: [world.mailbox.address] });
    expect(res.status).toBe(200);
    const [stored] = await listAll(world);
    expect((await getMessage(world, stored.id)).text).toContain("Grüße aus Köln");
  });

  it("refuses a flipped byte, a wrong secret, a timestamp 301 s old or ahead and missing headers with 400; nothing is stored", async () => {
    const world = await createTestWorld();
    const receiptsBefore = await getDb().webhookReceipt.count({ where: { source: "inbound" } });
    const raw = Buffer.from(rawMessage({ to: world.mailbox.address }));
    const flipped = Buffer.from(raw);
    flipped[flipped.length - 5] ^= 0x01;
    const cases = [
      await postRaw(flipped, { signBody: raw }),
      await postRaw(raw, { secret: `whsec_${Buffer.from("a different secret of 24b").toString("base64")}` }),
      await postRaw(raw, { at: new Date(Date.now() - 301_000) }),
      await postRaw(raw, { at: new Date(Date.now() + 301_000) }),
      await postRaw(raw, { signature: "v1,not-base64!!" }),
      await postRaw(raw, { signature: "v2,AAAA" }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "validation_error", requestId: expect.stringMatching(/^req_/) });
    }
    const bare = await inboundRoute(new Request("http://localhost/api/webhooks/inbound", { method: "POST", body: raw }));
    expect(bare.status).toBe(400);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    expect(await getDb().webhookReceipt.count({ where: { source: "inbound" } })).toBe(receiptsBefore);
    // Within the tolerance both ways it is accepted.
    expect((await postRaw(raw, { at: new Date(Date.now() - 290_000) })).status).toBe(200);
  });
});

describe("POST /api/webhooks/inbound: exactly once", () => {
  it("the same delivery three times: three 200s, one message", async () => {
    const world = await createTestWorld();
    const raw = rawMessage({ to: world.mailbox.address });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postRaw(raw, { id: "msg_same_1" }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.json.duplicate)).toEqual([false, true, true]);
    expect(await listAll(world)).toHaveLength(1);
  });

  it("keeps webhook ids for more than 7 days: a replay 8 days later stores nothing; housekeeping drops them after 30", async () => {
    const world = await createTestWorld();
    const raw = rawMessage({ to: world.mailbox.address, subject: "Replayed" });
    expect((await postRaw(raw, { id: "msg_week_old" })).status).toBe(200);
    await getDb().message.deleteMany({ where: { mailboxId: world.mailbox.id } });
    await getPool().query(`UPDATE "WebhookReceipt" SET "receivedAt" = now() - interval '8 days' WHERE "webhookId" = 'msg_week_old'`);
    await runHousekeeping();
    const replay = await postRaw(raw, { id: "msg_week_old" });
    expect(replay).toMatchObject({ status: 200, json: { duplicate: true } });
    expect(await listAll(world)).toHaveLength(0);
    await getPool().query(`UPDATE "WebhookReceipt" SET "receivedAt" = now() - interval '31 days' WHERE "webhookId" = 'msg_week_old'`);
    await runHousekeeping();
    expect(await getDb().webhookReceipt.count({ where: { webhookId: "msg_week_old" } })).toBe(0);
  });

  it("concurrent deliveries store once: the same webhook id, and the same Message-ID under different ids", async () => {
    const world = await createTestWorld();
    const raw = rawMessage({ to: world.mailbox.address, subject: "Raced" });
    const sameId = await Promise.all(Array.from({ length: 6 }, () => postRaw(raw, { id: "msg_race" })));
    expect(sameId.every((r) => r.status === 200)).toBe(true);
    const other = rawMessage({ to: world.mailbox.address, subject: "Relayed twice", messageId: "<relayed-twice@outside.example>" });
    const sameMessageId = await Promise.all(Array.from({ length: 6 }, (_, i) => postRaw(other, { id: `msg_relay_${i}` })));
    expect(sameMessageId.every((r) => r.status === 200)).toBe(true);
    const subjects = (await listAll(world)).map((m) => m.subject).sort();
    expect(subjects).toEqual(["Raced", "Relayed twice"]);
    const threads = await getDb().thread.findMany({ where: { mailboxId: world.mailbox.id } });
    expect(threads.map((t) => t.messageCount)).toEqual([1, 1]);
  });

  it("a failure before commit answers 5xx and leaves nothing; the sender's retry then stores the message once", async () => {
    const world = await createTestWorld();
    const raw = readFileSync(path.join(FIXTURES, "attachment-pdf-base64-utf8-subject.eml"));
    const pool = getPool();
    // A real database failure after the message row is written, inside the same transaction.
    await pool.query(`ALTER TABLE "Attachment" ADD CONSTRAINT inbound_test_fault CHECK (size < 0) NOT VALID`);
    try {
      const failed = await postRaw(raw, { id: "msg_fault", recipients: [world.mailbox.address] });
      expect(failed.status).toBe(500);
      expect(failed.json.error.code).toBe("internal_error");
    } finally {
      await pool.query(`ALTER TABLE "Attachment" DROP CONSTRAINT inbound_test_fault`);
    }
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    expect(await getDb().thread.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    expect(await getDb().webhookReceipt.count({ where: { webhookId: "msg_fault" } })).toBe(0);
    const retried = await postRaw(raw, { id: "msg_fault", recipients: [world.mailbox.address] });
    expect(retried.status).toBe(200);
    const [stored] = await listAll(world);
    expect((await getMessage(world, stored.id)).attachments).toHaveLength(1);
  });

  it("unknown and unverified addresses get the same 200, nothing is stored, and the drop is counted", async () => {
    const world = await createTestWorld();
    const pending = await getDb().domain.create({
      data: { id: crypto.randomUUID(), tenantId: world.tenant.id, name: `pending-${Date.now()}.example`, status: "pending" },
    });
    const onPending = await createTestMailbox(world.tenant.id);
    await getDb().mailbox.update({ where: { id: onPending.id }, data: { domainId: pending.id, address: `x@${pending.name}` } });
    const before = await droppedToday();
    const known = await postRaw(rawMessage({ to: world.mailbox.address }));
    const unknown = await postRaw(rawMessage({ to: `nobody@${world.mailbox.address.split("@")[1]}` }));
    const unverified = await postRaw(rawMessage({ to: `x@${pending.name}` }));
    const twoUnknown = await postRaw(rawMessage({ to: "a@elsewhere.example" }), { recipients: ["ghost1@nowhere.example", "ghost2@nowhere.example"] });
    for (const res of [unknown, unverified, twoUnknown]) {
      expect(res.status).toBe(200);
      expect(res.json).toEqual(known.json);
    }
    expect(await droppedToday()).toBe(before + 4);
    expect(await getDb().message.count({ where: { mailboxId: onPending.id } })).toBe(0);
    // A retried drop is not counted again.
    await postRaw(rawMessage({ to: "z@nowhere.example" }), { id: "msg_drop_retry" });
    await postRaw(rawMessage({ to: "z@nowhere.example" }), { id: "msg_drop_retry" });
    expect(await droppedToday()).toBe(before + 5);
  });

  it("a suspended mailbox still receives", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { status: "suspended" } });
    expect((await postRaw(rawMessage({ to: world.mailbox.address, subject: "While suspended" }))).status).toBe(200);
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { status: "active" } });
    expect((await listAll(world)).map((m) => m.subject)).toEqual(["While suspended"]);
  });
});

describe("POST /api/webhooks/inbound: recipients and threads", () => {
  it("each recipient of the deployment gets its own copy under its own key, from To and Cc or from the envelope", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const raw = rawMessage({ to: `${a.mailbox.address}, someone@else.example`, cc: b.mailbox.address, subject: "For both" });
    expect((await postRaw(raw)).status).toBe(200);
    const [inA] = await listAll(a);
    const [inB] = await listAll(b, b.keys.read, b.mailbox.id);
    expect(inA.subject).toBe("For both");
    expect(inB.subject).toBe("For both");
    expect(inA.threadId).not.toBe(inB.threadId);
    const rows = await getDb().message.findMany({ where: { id: { in: [inA.id, inB.id] } } });
    expect(Buffer.from(rows[0].metaCipher).equals(Buffer.from(rows[1].metaCipher))).toBe(false);
    expect(rows.map((r) => r.tenantId).sort()).toEqual([a.tenant.id, b.tenant.id].sort());
    // Another mailbox's key cannot read A's copy.
    const cross = await call(messageRoute.GET, "GET", "/x", { key: b.keys.read, params: { mailboxId: a.mailbox.id, messageId: inA.id } });
    expect(cross.status).toBe(404);

    // Envelope recipients decide over the headers (a Bcc'd mailbox is only in the envelope).
    const bcc = rawMessage({ to: "list@elsewhere.example", subject: "Blind copy" });
    expect((await postRaw(bcc, { recipients: [b.mailbox.address] })).status).toBe(200);
    expect((await listAll(b, b.keys.read, b.mailbox.id)).map((m) => m.subject)).toContain("Blind copy");
    expect((await listAll(a)).map((m) => m.subject)).not.toContain("Blind copy");
  });

  it("a reply from outside joins the thread of the message we sent, and our reply to it carries In-Reply-To and References", async () => {
    const world = await createTestWorld();
    const sent = await call(messagesRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["customer@outside.example"], subject: "Your ticket", text: "How can we help?" },
    });
    expect(sent.status).toBe(202);
    const ourId = sent.json.messageId as string;
    const reply = rawMessage({
      from: "customer@outside.example",
      to: world.mailbox.address,
      subject: "Re: Your ticket",
      inReplyTo: ourId,
      references: ourId,
      body: "My printer is on fire.",
    });
    expect((await postRaw(reply)).status).toBe(200);
    const listed = await listAll(world);
    const incoming = listed.find((m) => m.subject === "Re: Your ticket")!;
    expect(incoming.threadId).toBe(sent.json.threadId);

    const answer = await call(replyRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id, messageId: incoming.id },
      body: { text: "Please step away from the printer." },
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({
      threadId: sent.json.threadId,
      inReplyTo: incoming.messageId,
      references: [ourId, incoming.messageId],
      to: [{ address: "customer@outside.example" }],
    });
  });
});

describe("POST /api/webhooks/inbound: hostile input", () => {
  it("refuses a body over 25 MB with 413 while it streams, before reading it all", async () => {
    const world = await createTestWorld();
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const total = 40;
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const req = new Request("http://localhost/api/webhooks/inbound", {
      method: "POST",
      headers: { "content-type": "message/rfc822", "webhook-id": "msg_big", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await inboundRoute(req);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    expect(pulled).toBeLessThan(total);
    expect(pulled).toBeLessThanOrEqual(Math.ceil(MAX_MESSAGE_BYTES / chunk.length) + 2);

    const declared = await inboundRoute(
      new Request("http://localhost/api/webhooks/inbound", { method: "POST", headers: { "content-length": String(MAX_MESSAGE_BYTES + 1) }, body: "x" }),
    );
    expect(declared.status).toBe(413);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
  });

  it("refuses 1,001 parts, 50 nesting levels and 2 MB of header with 413 while other mail keeps arriving", async () => {
    const world = await createTestWorld();
    const to = world.mailbox.address;
    const head = (subject: string) => `From: x@outside.example\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, "")}@outside.example>\r\n`;
    const parts = Array.from({ length: 1001 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join("");
    const manyParts = `${head("Many parts")}Content-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`;
    let nested = "Content-Type: text/plain\r\n\r\ndeep\r\n";
    for (let i = 50; i > 0; i--) nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}--b${i}--\r\n`;
    const deep = `${head("Deep")}${nested}`;
    const bigHeader = `${head("Big header")}X-Filler: ${"a".repeat(70)}${`\r\n ${"b".repeat(70)}`.repeat(28_000)}\r\n\r\nbody\r\n`;
    expect(bigHeader.length).toBeGreaterThan(2_000_000);

    const [r1, r2, r3, fine] = await Promise.all([
      postRaw(manyParts),
      postRaw(deep),
      postRaw(bigHeader),
      postRaw(rawMessage({ to, subject: "Meanwhile" })),
    ]);
    for (const r of [r1, r2, r3]) {
      expect(r.status).toBe(413);
      expect(r.json.error.code).toBe("payload_too_large");
    }
    expect(r1.json.error.message).toMatch(/1000 MIME parts/);
    expect(r2.json.error.message).toMatch(/deeper than 20/);
    expect(r3.json.error.message).toMatch(/bytes of headers/);
    expect(fine.status).toBe(200);
    expect((await listAll(world)).map((m) => m.subject)).toEqual(["Meanwhile"]);
  });

  it("keeps what parses of malformed MIME and refuses a body that is not a message type", async () => {
    const world = await createTestWorld();
    const raw = readFileSync(path.join(FIXTURES, "malformed-spam-html-with-boundary.eml"));
    expect((await postRaw(raw, { recipients: [world.mailbox.address] })).status).toBe(200);
    const json = await inboundRoute(rawRequest("{}", { contentType: "application/json" }));
    expect(json.status).toBe(415);
    expect((await listAll(world))).toHaveLength(1);
  });
});
