// The inbound fast path (lib/inbound/ingest-fast-path.ts): one mailbox, no report, no
// receive lists, two statements. What it commits must be what the general path
// commits: the message in its thread, the message.received event a reader can
// decrypt, a webhook delivery and its job for a subscribed endpoint, once per
// webhook id and once per Message-ID; and a mailbox with lists goes the general way.
import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { readEvents } from "@/lib/events/read-events";
import { addListEntry } from "@/lib/guardrails/lists";
import { uuidv7 } from "@/lib/ids";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";
import { postRaw, rawMessage } from "@/test/helpers/inbound";

setupTestDatabase();

const count = async (sql: string, params: unknown[]) => Number((await getPool().query<{ n: string }>(sql, params)).rows[0].n);

describe("inbound fast path", () => {
  it("commits the message, its thread, a decryptable message.received event, the webhook delivery and its job together", async () => {
    const world = await createTestWorld();
    const endpoint = await getDb().webhookEndpoint.create({
      data: { id: uuidv7(), tenantId: world.tenant.id, url: "https://hooks.example.com/in", secret: "whsec_x", eventTypes: ["message.received"] },
    });
    // Subscribed to another event type only: gets no delivery.
    await getDb().webhookEndpoint.create({
      data: { id: uuidv7(), tenantId: world.tenant.id, url: "https://hooks.example.com/sent", secret: "whsec_y", eventTypes: ["message.sent"] },
    });
    const before = await readEvents({ tenantId: world.tenant.id, after: 0n, limit: 100 });
    const res = await postRaw(rawMessage({ to: world.mailbox.address, subject: "Fast" }));
    expect(res).toEqual({ status: 200, json: { received: true, duplicate: false } });

    const [message] = await getDb().message.findMany({ where: { mailboxId: world.mailbox.id } });
    const thread = await getDb().thread.findUniqueOrThrow({ where: { id: message.threadId } });
    expect(thread).toMatchObject({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, messageCount: 1 });
    const events = (await readEvents({ tenantId: world.tenant.id, after: 0n, limit: 100 })).slice(before.length);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "message.received", mailboxId: world.mailbox.id });
    expect(events[0].data).toMatchObject({ messageId: message.id, threadId: message.threadId, direction: "inbound", status: "received" });
    const deliveries = await getDb().webhookDelivery.findMany({ where: { tenantId: world.tenant.id } });
    expect(deliveries.map((d) => [d.endpointId, d.eventType, String(d.eventId)])).toEqual([[endpoint.id, "message.received", events[0].id]]);
    expect(await count(`SELECT count(*) AS n FROM "Job" WHERE id = $1 AND kind = 'webhook.deliver' AND payload->>'deliveryId' = $1`, [deliveries[0].id])).toBe(1);
  });

  it("a reply joins its parent's thread (In-Reply-To first, then References) and moves the thread's count and time", async () => {
    const world = await createTestWorld();
    await postRaw(rawMessage({ to: world.mailbox.address, subject: "First", messageId: "<first@outside.example>" }));
    await postRaw(rawMessage({ to: world.mailbox.address, subject: "Other", messageId: "<other@outside.example>" }));
    await postRaw(
      rawMessage({ to: world.mailbox.address, subject: "Re: First", inReplyTo: "<first@outside.example>", references: "<other@outside.example>" }),
    );
    await postRaw(rawMessage({ to: world.mailbox.address, subject: "Re: Other", references: "<nowhere@outside.example> <other@outside.example>" }));
    const messages = await getDb().message.findMany({ where: { mailboxId: world.mailbox.id }, orderBy: { id: "asc" } });
    expect(messages).toHaveLength(4);
    const [first, other, reFirst, reOther] = messages;
    expect(reFirst.threadId).toBe(first.threadId);
    expect(reOther.threadId).toBe(other.threadId);
    const threads = await getDb().thread.findMany({ where: { mailboxId: world.mailbox.id }, orderBy: { id: "asc" } });
    expect(threads.map((t) => t.messageCount)).toEqual([2, 2]);
    const latest = threads[0].lastMessageAt.getTime();
    expect(latest).toBe(reFirst.createdAt.getTime());
  });

  it("the same Message-ID under a new webhook id: the receipt is kept, nothing else is written, the answer is 200", async () => {
    const world = await createTestWorld();
    const raw = rawMessage({ to: world.mailbox.address, messageId: "<twice@outside.example>" });
    expect((await postRaw(raw, { id: "msg_fast_1" })).status).toBe(200);
    const events = (await readEvents({ tenantId: world.tenant.id, after: 0n, limit: 100 })).length;
    const second = await postRaw(raw, { id: "msg_fast_2" });
    expect(second).toEqual({ status: 200, json: { received: true, duplicate: false } });
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
    expect(await getDb().thread.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
    expect((await readEvents({ tenantId: world.tenant.id, after: 0n, limit: 100 })).length).toBe(events);
    expect(await getDb().webhookReceipt.count({ where: { webhookId: { in: ["msg_fast_1", "msg_fast_2"] } } })).toBe(2);
    // A retry of the second id: a duplicate delivery.
    expect((await postRaw(raw, { id: "msg_fast_2" })).json).toEqual({ received: true, duplicate: true });
  });

  it("a mailbox with receive list entries goes the general way: a blocked sender stores nothing, another sender is stored", async () => {
    const world = await createTestWorld();
    await addListEntry({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, direction: "receive", kind: "block", entry: "spam@x.test" });
    expect((await postRaw(rawMessage({ from: "spam@x.test", to: world.mailbox.address, subject: "Spam" }), { id: "msg_listed_1" })).status).toBe(200);
    expect((await postRaw(rawMessage({ from: "friend@x.test", to: world.mailbox.address, subject: "Friend" }), { id: "msg_listed_2" })).status).toBe(200);
    const messages = await getDb().message.findMany({ where: { mailboxId: world.mailbox.id } });
    expect(messages).toHaveLength(1);
    expect(await getDb().webhookReceipt.count({ where: { webhookId: { in: ["msg_listed_1", "msg_listed_2"] } } })).toBe(2);
  });
});
