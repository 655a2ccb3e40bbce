// Bounces and complaints that arrive as mail, local delivery through the same ingest
// path, and the route under random and mutated input.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as suppressionsRoute from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/route";
import { getDb, getPool } from "@/lib/db";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { postRaw } from "@/test/helpers/inbound";

setupTestDatabase();

const FIXTURES = path.join(import.meta.dirname, "../fixtures/emails");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "latin1");

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function send(world: World, to: string[], subject = "Newsletter") {
  const res = await call(messagesRoute.POST, "POST", "/x", {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body: { to, subject, text: "Hello" },
  });
  expect(res.status).toBe(202);
  await getDb().message.update({ where: { id: res.json.id }, data: { status: "sent" } });
  return res.json as { id: string; messageId: string; threadId: string };
}

async function suppressed(world: World, mailboxId = world.mailbox.id, key = world.keys.read) {
  const res = await call(suppressionsRoute.GET, "GET", "/x", { key, params: { mailboxId } });
  expect(res.status).toBe(200);
  return res.json.data as { address: string; reason: string; messageId?: string }[];
}

const statusOf = async (world: World, id: string) =>
  (await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: id } })).json;

/** The fixture's report, with its returned message's Message-ID replaced by ours. */
function reportFor(file: string, originalMessageId: string, replace: string): Buffer {
  const text = fixture(file);
  expect(text).toContain(replace);
  return Buffer.from(text.replaceAll(replace, originalMessageId), "latin1");
}

describe("bounces and complaints that arrive as mail", () => {
  it("a Postfix DSN bounces the message we sent and suppresses only the failed recipient, for that mailbox only", async () => {
    const world = await createTestWorld();
    const sibling = await createTestMailbox(world.tenant.id);
    const failed = "htfgvhyufthdgcvhgjyfthgc@ethereal.email";
    const sent = await send(world, [failed, "fine@example.com"]);
    const dsn = reportFor("bounce-dsn-postfix.eml", sent.messageId, "<e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com>");

    const res = await postRaw(dsn, { recipients: [world.mailbox.address] });
    expect(res.status).toBe(200);
    const original = await statusOf(world, sent.id);
    expect(original.status).toBe("bounced");
    expect(original.statusReason).toContain("5.0.0");
    expect(original.statusReason).not.toContain(failed);
    expect(await suppressed(world)).toEqual([expect.objectContaining({ address: failed, reason: "bounce", messageId: sent.id })]);

    // The bounce itself is in the mailbox, labelled, in the thread of the message it reports.
    const list = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { direction: "inbound" } });
    expect(list.json.data).toEqual([expect.objectContaining({ labels: ["bounce"], threadId: sent.threadId })]);

    // Suppressed for this mailbox only: the sibling mailbox may still send to the address.
    const siblingList = await getDb().suppression.count({ where: { mailboxId: sibling.id } });
    expect(siblingList).toBe(0);
    const refused = await call(messagesRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: [failed], subject: "Again", text: "x" },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe("recipient_suppressed");

    // The same DSN delivered again changes nothing.
    expect((await postRaw(dsn, { recipients: [world.mailbox.address] })).status).toBe(200);
    expect(await suppressed(world)).toHaveLength(1);
  });

  it("a DSN to another mailbox cannot touch this mailbox's message, and a soft bounce suppresses nobody", async () => {
    const world = await createTestWorld();
    const other = await createTestWorld();
    const failed = "htfgvhyufthdgcvhgjyfthgc@ethereal.email";
    const sent = await send(world, [failed]);
    const dsn = reportFor("bounce-dsn-postfix.eml", sent.messageId, "<e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com>");
    expect((await postRaw(dsn, { recipients: [other.mailbox.address] })).status).toBe(200);
    expect((await statusOf(world, sent.id)).status).toBe("sent");
    expect(await suppressed(world)).toEqual([]);

    const soft = Buffer.from(dsn.toString("latin1").replace("Status: 5.0.0", "Status: 4.2.2").replace(/Message-Id: <20221010053722[^>]*>/, "Message-Id: <soft-bounce@mailout.example>"), "latin1");
    expect((await postRaw(soft, { recipients: [world.mailbox.address] })).status).toBe(200);
    expect((await statusOf(world, sent.id)).status).toBe("bounced");
    expect(await suppressed(world)).toEqual([]);
  });

  it("an ARF complaint marks the message complained and suppresses the complaining recipient", async () => {
    const world = await createTestWorld();
    const sent = await send(world, ["user@yahoo.com", "other@yahoo.com"]);
    const arf = reportFor("arf-abuse-report-yahoo.eml", sent.messageId, "<20120711015015.4A8BE2E088E@www.example.com>");
    expect((await postRaw(arf, { recipients: [world.mailbox.address] })).status).toBe(200);
    expect((await statusOf(world, sent.id)).status).toBe("complained");
    expect(await suppressed(world)).toEqual([expect.objectContaining({ address: "user@yahoo.com", reason: "complaint" })]);
  });
});

describe("local delivery goes through the same ingest path", () => {
  it("Bcc'd mailboxes receive from the envelope, a mailbox on a pending domain does not", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const pending = await getDb().domain.create({
      data: { id: crypto.randomUUID(), tenantId: b.tenant.id, name: `pending-${Date.now()}.example`, status: "pending" },
    });
    const onPending = await createTestMailbox(b.tenant.id);
    const pendingAddress = `p@${pending.name}`;
    await getDb().mailbox.update({ where: { id: onPending.id }, data: { domainId: pending.id, address: pendingAddress } });
    const res = await call(messagesRoute.POST, "POST", "/x", {
      key: a.keys.read_write,
      params: { mailboxId: a.mailbox.id },
      body: { to: ["outside@example.com"], bcc: [b.mailbox.address, pendingAddress], subject: "Blind", text: "Hi" },
    });
    expect(res.status).toBe(202);
    const worker = createOutboxWorker({ backoffBaseMs: 10 });
    while ((await worker.runOnce()) > 0);
    const received = await call(messagesRoute.GET, "GET", "/x", { key: b.keys.read, params: { mailboxId: b.mailbox.id } });
    expect(received.json.data).toEqual([expect.objectContaining({ subject: "Blind", direction: "inbound", bcc: [] })]);
    expect(await getDb().message.count({ where: { mailboxId: onPending.id } })).toBe(0);
  });
});

describe("the raw route under random and mutated input", () => {
  it("never crashes and never leaves a half-stored message (property)", async () => {
    const world = await createTestWorld();
    const seeds = ["plain-text.eml", "html-inline-images-cid-rfc2231-filename.eml", "bounce-dsn-postfix.eml", "nested-multipart-related-alternative.eml"].map((f) =>
      readFileSync(path.join(FIXTURES, f)),
    );
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }), fc.nat(), fc.nat())
      .map(([seed, flips, cutA, cutB]) => {
        const bytes = Buffer.from(seed);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const a = cutA % bytes.length;
        const b = cutB % bytes.length;
        // Drop a slice (a truncated or spliced message).
        return Buffer.concat([bytes.subarray(0, Math.min(a, b)), bytes.subarray(Math.max(a, b))]);
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b)), mutated);
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const res = await postRaw(bytes, { recipients: [world.mailbox.address] });
        if (res.status !== 200 && res.status !== 413) throw new Error(`status ${res.status}: ${JSON.stringify(res.json)}`);
        if (res.status === 200 && !res.json.duplicate) stored += 1;
      }),
      { numRuns: 150 },
    );
    // Every message is whole: its attachments are all there and its thread counts it.
    const { rows } = await getPool().query<{ bad: string }>(
      `SELECT count(*) AS bad FROM "Message" m WHERE m."mailboxId" = $1 AND (
         m."attachmentCount" <> (SELECT count(*) FROM "Attachment" a WHERE a."messageId" = m.id)
         OR NOT EXISTS (SELECT 1 FROM "Thread" t WHERE t.id = m."threadId"))`,
      [world.mailbox.id],
    );
    expect(Number(rows[0].bad)).toBe(0);
    const threads = await getPool().query<{ n: string }>(`SELECT coalesce(sum("messageCount"), 0) AS n FROM "Thread" WHERE "mailboxId" = $1`, [world.mailbox.id]);
    const messages = await getDb().message.count({ where: { mailboxId: world.mailbox.id } });
    expect(Number(threads.rows[0].n)).toBe(messages);
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThanOrEqual(stored);
    // And every stored message reads back through the API.
    const list = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { limit: "100" } });
    for (const m of list.json.data) {
      expect((await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: m.id } })).status).toBe(200);
    }
  });
});

