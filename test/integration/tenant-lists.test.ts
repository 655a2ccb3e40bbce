// Tenant-wide allow and block lists (SPEC §13) at /api/v1/lists/{direction}/{kind}
// (sm_mgmt_ keys only): every mailbox of the tenant obeys them on send (422
// recipient_not_allowed naming the recipients, checked inside the send transaction
// and again at delivery) and on receive (a blocked sender's mail is dropped and
// counted). Entries are hashed and sealed under the tenant data key, which
// `master-key rotate` re-wraps like mailbox data keys.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import * as tenantLists from "@/app/api/v1/lists/[direction]/[kind]/route";
import * as tenantListEntry from "@/app/api/v1/lists/[direction]/[kind]/[entry]/route";
import * as mailboxLists from "@/app/api/v1/mailboxes/[mailboxId]/lists/[direction]/[kind]/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as mailboxEvents from "@/app/api/v1/mailboxes/[mailboxId]/events/route";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { masterKeyId, overrideMasterKeySource } from "@/lib/crypto/master-key";
import { forgetMailboxCipher } from "@/lib/mailboxes/data-keys";
import { dataKeysWrappedByOthers, rotateMasterKey } from "@/lib/mailboxes/rotate-master-key";
import { sendTestHooks } from "@/lib/outbound/send-test-hooks";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { forgetTenantCipher } from "@/lib/tenants/tenant-data-key";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { postRaw, rawMessage } from "@/test/helpers/inbound";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();

const fake = withFakeResend();
const delivery = { backoffBaseMs: 1, providerTimeoutMs: 5_000, providerCallsPerSecond: 1000 };

afterEach(() => {
  sendTestHooks.beforeStore = undefined;
  overrideMasterKeySource(undefined);
});

type World = Awaited<ReturnType<typeof createTestWorld>>;

function addTenant(key: string, direction: string, kind: string, entry: string) {
  return call(tenantLists.POST, "POST", `/api/v1/lists/${direction}/${kind}`, { key, params: { direction, kind }, body: { entry } });
}

function listTenant(key: string, direction: string, kind: string, query: Record<string, string> = {}) {
  return call(tenantLists.GET, "GET", `/api/v1/lists/${direction}/${kind}`, { key, params: { direction, kind }, query });
}

function removeTenant(key: string, direction: string, kind: string, entry: string) {
  return call(tenantListEntry.DELETE, "DELETE", "/x", { key, params: { direction, kind, entry: encodeURIComponent(entry) } });
}

function send(world: World, to: string[], mailboxId = world.mailbox.id, key = world.keys.tenant, subject = "Hi") {
  return call(messages.POST, "POST", "/x", { key, params: { mailboxId }, body: { to, subject, text: "Hello" } });
}

async function droppedToday(): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<{ n: number }[]>(`SELECT coalesce(sum(count), 0)::int AS n FROM "DroppedInboundCount"`);
  return Number(rows[0].n);
}

describe("tenant-wide lists", () => {
  it("a tenant send-block by domain refuses sends from every mailbox, naming the recipients; removing it lifts it", async () => {
    const world = await createTestWorld();
    const second = await createTestMailbox(world.tenant.id);
    const other = await createTestWorld();

    const added = await addTenant(world.keys.tenant, "send", "block", "@Evil.TEST");
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ entry: "@evil.test", direction: "send", kind: "block" });
    expect((await addTenant(world.keys.tenant, "send", "block", "@evil.test")).status).toBe(200);

    for (const mailboxId of [world.mailbox.id, second.id]) {
      const refused = await send(world, ["ann@example.com", "Mallory <mallory@EVIL.test>", "eve@evil.test"], mailboxId);
      expect(refused.status).toBe(422);
      expect(refused.json.error.code).toBe("recipient_not_allowed");
      expect(refused.json.error.recipients).toEqual(["mallory@evil.test", "eve@evil.test"]);
    }
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
    // Another tenant is not affected.
    expect((await send(other, ["mallory@evil.test"])).status).toBe(202);

    // Stored blind under the tenant key: no plaintext entry anywhere in the row.
    const row = await getDb().tenantListEntry.findFirstOrThrow({ where: { tenantId: world.tenant.id } });
    expect(row.entryHash).not.toContain("evil");
    expect(Buffer.from(row.entryCipher).toString("latin1")).not.toContain("evil");

    const removed = await removeTenant(world.keys.tenant, "send", "block", "@evil.test");
    expect(removed.json).toEqual({ entry: "@evil.test", deleted: true });
    expect((await removeTenant(world.keys.tenant, "send", "block", "@evil.test")).status).toBe(404);
    expect((await send(world, ["mallory@evil.test"], second.id)).status).toBe(202);

    const audit = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, action: { startsWith: "list." } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["list.entry_added", "list.entry_removed"]);
    expect(audit[0]).toMatchObject({ actorType: "key", targetType: "tenant_list", targetId: "send/block" });
  });

  it("a non-empty tenant send-allow list refuses everyone else in every mailbox, and a mailbox's own allow list applies as well", async () => {
    const world = await createTestWorld();
    const second = await createTestMailbox(world.tenant.id);
    await addTenant(world.keys.tenant, "send", "allow", "@partner.test");
    await addTenant(world.keys.tenant, "send", "allow", "ann@example.com");

    expect((await send(world, ["ANN@example.com", "bo@partner.test"])).status).toBe(202);
    const refused = await send(world, ["bo@partner.test", "carl@example.com"], second.id);
    expect(refused.status).toBe(422);
    expect(refused.json.error.recipients).toEqual(["carl@example.com"]);

    // The mailbox narrows further with its own allow list: both lists must allow.
    await call(mailboxLists.POST, "POST", "/x", { key: world.keys.management, params: { mailboxId: world.mailbox.id, direction: "send", kind: "allow" }, body: { entry: "@partner.test" } });
    const narrowed = await send(world, ["ann@example.com", "bo@partner.test"]);
    expect(narrowed.status).toBe(422);
    expect(narrowed.json.error.recipients).toEqual(["ann@example.com"]);
    expect((await send(world, ["ann@example.com"], second.id)).status).toBe(202);
  });

  it("a tenant receive-block drops the sender's mail in every mailbox, counted; the webhook answers 200", async () => {
    const world = await createTestWorld();
    const second = await createTestMailbox(world.tenant.id);
    const other = await createTestWorld();
    await addTenant(world.keys.tenant, "receive", "block", "bad@spam.test");
    const before = await droppedToday();

    const res = await postRaw(rawMessage({ from: "Spammer <BAD@Spam.test>", to: `${world.mailbox.address}, ${second.address}, ${other.mailbox.address}` }), {
      recipients: [world.mailbox.address, second.address, other.mailbox.address],
    });
    expect(res.status).toBe(200);
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
    expect(await getDb().message.count({ where: { mailboxId: other.mailbox.id } })).toBe(1);
    expect(await droppedToday()).toBe(before + 2);
    const events = await call(mailboxEvents.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { after: "0" }, headers: { accept: "application/json" } });
    expect(events.json.data.filter((e: { type: string }) => e.type.startsWith("message."))).toEqual([]);

    const ok = await postRaw(rawMessage({ from: "someone@spam.test", to: second.address }), { recipients: [second.address] });
    expect(ok.status).toBe(200);
    expect(await getDb().message.count({ where: { mailboxId: second.id } })).toBe(1);
  });

  it("only sm_mgmt_ keys reach the tenant lists; entries validate, paginate and 404 as a mailbox list's do", async () => {
    const world = await createTestWorld();
    for (const key of [world.keys.management, world.keys.read_write, world.keys.read]) {
      const res = await addTenant(key, "send", "block", "@x.test");
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
      expect((await listTenant(key, "send", "block")).status).toBe(403);
    }
    expect(await getDb().tenantListEntry.count({ where: { tenantId: world.tenant.id } })).toBe(0);

    await addTenant(world.keys.tenant, "receive", "block", "spam@x.test");
    await addTenant(world.keys.tenant, "receive", "block", "@y.test");
    const page = await listTenant(world.keys.tenant, "receive", "block", { limit: "1" });
    expect(page.json.data).toEqual([expect.objectContaining({ entry: "@y.test" })]);
    const next = await listTenant(world.keys.tenant, "receive", "block", { limit: "1", cursor: page.json.nextCursor });
    expect(next.json.data.map((e: { entry: string }) => e.entry)).toEqual(["spam@x.test"]);
    // Another tenant sees its own (empty) list.
    const other = await createTestWorld();
    expect((await listTenant(other.keys.tenant, "receive", "block")).json.data).toEqual([]);

    for (const bad of ["not an address", "@", "@-x.test", "a@b\r\n.test", ""]) {
      const res = await addTenant(world.keys.tenant, "send", "block", bad);
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    expect((await addTenant(world.keys.tenant, "sideways", "block", "a@b.test")).status).toBe(404);
    expect((await removeTenant(world.keys.tenant, "send", "allow", "nobody@x.test")).status).toBe(404);
  });

  it("an entry added while a send is in flight refuses it inside the send's transaction", async () => {
    const world = await createTestWorld();
    sendTestHooks.beforeStore = async () => {
      sendTestHooks.beforeStore = undefined;
      expect((await addTenant(world.keys.tenant, "send", "block", "@late.test")).status).toBe(201);
    };
    const refused = await send(world, ["ann@late.test"]);
    expect(refused.status).toBe(422);
    expect(refused.json.error.recipients).toEqual(["ann@late.test"]);
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
    expect(await getDb().job.count({ where: { tenantId: world.tenant.id } })).toBe(0);
  });

  it("a queued message to a recipient blocked since it was accepted ends failed with the reason and is never sent", async () => {
    const world = await createTestWorld();
    const queued = await send(world, ["ann@example.com", "bo@blocked-later.test"], world.mailbox.id, world.keys.tenant, "Blocked later");
    const fine = await send(world, ["ann@example.com"], world.mailbox.id, world.keys.tenant, "Still fine");
    expect(queued.status).toBe(202);
    expect((await addTenant(world.keys.tenant, "send", "block", "@blocked-later.test")).status).toBe(201);

    const worker = createOutboxWorker({ backoffBaseMs: 1, delivery, log: () => {} });
    while ((await worker.runOnce()) > 0);
    expect(fake.accepted.map((e) => (e.body as { subject: string }).subject)).toEqual(["Still fine"]);
    const failed = await getDb().message.findFirstOrThrow({ where: { id: queued.json.id } });
    expect(failed.status).toBe("failed");
    expect(failed.statusReason).toContain("recipient_not_allowed");
    expect(failed.statusReason).not.toContain("blocked-later.test");
    expect(await getDb().message.findFirstOrThrow({ where: { id: fine.json.id } })).toMatchObject({ status: "sent" });
    const events = await call(mailboxEvents.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { after: "0" }, headers: { accept: "application/json" } });
    expect(events.json.data.filter((e: { type: string }) => e.type === "message.failed").map((e: { data: { messageId: string } }) => e.data.messageId)).toEqual([queued.json.id]);
  });

  it("master-key rotation re-wraps the tenant key: entries still list and still match with only the new key", async () => {
    const world = await createTestWorld();
    await addTenant(world.keys.tenant, "send", "block", "@rotated.test");
    const oldKey = getEnv().SAIRAPH_MASTER_KEY;
    const newKey = randomBytes(32).toString("base64");
    const newId = masterKeyId(Buffer.from(newKey, "base64"));
    const tenantKeyBefore = await getDb().tenantDataKey.findUniqueOrThrow({ where: { tenantId: world.tenant.id } });

    // Start-up refusal counts tenant keys too: with only the new key, this one is unreadable.
    const unreadable = await dataKeysWrappedByOthers([newId]);
    expect(unreadable.find((r) => r.masterKeyId === tenantKeyBefore.masterKeyId)?.count).toBeGreaterThanOrEqual(2);

    overrideMasterKeySource({ kind: "env", current: newKey, previous: oldKey });
    const result = await rotateMasterKey();
    expect(result.masterKeyId).toBe(newId);
    const tenantKeyAfter = await getDb().tenantDataKey.findUniqueOrThrow({ where: { tenantId: world.tenant.id } });
    expect(tenantKeyAfter.masterKeyId).toBe(newId);
    expect(Buffer.from(tenantKeyAfter.wrappedKey).equals(Buffer.from(tenantKeyBefore.wrappedKey))).toBe(false);
    expect(await dataKeysWrappedByOthers([newId])).toEqual([]);

    overrideMasterKeySource({ kind: "env", current: newKey });
    forgetTenantCipher(world.tenant.id);
    forgetMailboxCipher(world.tenant.id, world.mailbox.id);
    expect((await listTenant(world.keys.tenant, "send", "block")).json.data.map((e: { entry: string }) => e.entry)).toEqual(["@rotated.test"]);
    const refused = await send(world, ["zed@rotated.test"]);
    expect(refused.status).toBe(422);
    expect(refused.json.error.recipients).toEqual(["zed@rotated.test"]);
    forgetTenantCipher(world.tenant.id);
    forgetMailboxCipher(world.tenant.id, world.mailbox.id);
  });
});
