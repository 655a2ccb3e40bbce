// Per-mailbox allow and block lists (SPEC §13) over REST and their send-side effect:
// a blocked recipient (address or @domain), or anyone missing from a non-empty allow
// list, refuses the whole send with 422 recipient_not_allowed naming them; entries are
// stored as a blind hash plus ciphertext and match case-insensitively. A receive-block
// drops the sender's mail for that mailbox (counted; the webhook still answers 200).
import { describe, expect, it } from "vitest";
import * as lists from "@/app/api/v1/mailboxes/[mailboxId]/lists/[direction]/[kind]/route";
import * as listEntry from "@/app/api/v1/mailboxes/[mailboxId]/lists/[direction]/[kind]/[entry]/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { postRaw, rawMessage } from "@/test/helpers/inbound";

setupTestDatabase();

async function droppedToday(): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT coalesce(sum(count), 0)::int AS n FROM "DroppedInboundCount"`);
  return Number(rows[0].n);
}

type World = Awaited<ReturnType<typeof createTestWorld>>;

function add(world: World, key: string, direction: string, kind: string, entry: string, mailboxId = world.mailbox.id) {
  return call(lists.POST, "POST", "/x", { key, params: { mailboxId, direction, kind }, body: { entry } });
}

function send(world: World, to: string[], mailboxId = world.mailbox.id, key = world.keys.read_write) {
  return call(messages.POST, "POST", "/x", { key, params: { mailboxId }, body: { to, subject: "Hi", text: "Hello" } });
}

describe("allow and block lists", () => {
  it("a send-block by domain refuses the whole send naming the recipient; nothing is stored", async () => {
    const world = await createTestWorld();
    const added = await add(world, world.keys.management, "send", "block", "@Evil.TEST");
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ entry: "@evil.test", direction: "send", kind: "block" });
    expect((await add(world, world.keys.management, "send", "block", "@evil.test")).status).toBe(200);

    const refused = await send(world, ["ann@example.com", "Mallory <mallory@EVIL.test>"]);
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe("recipient_not_allowed");
    expect(refused.json.error.recipients).toEqual(["mallory@evil.test"]);
    expect(await getDb().message.count({ where: { tenantId: world.tenant.id } })).toBe(0);
    expect((await send(world, ["ann@example.com"])).status).toBe(202);

    // Stored blind: neither the entry nor its domain appears in clear.
    const row = await getDb().listEntry.findFirstOrThrow({ where: { mailboxId: world.mailbox.id } });
    expect(row.entryHash).not.toContain("evil");
    expect(Buffer.from(row.entryCipher).toString("latin1")).not.toContain("evil");

    const removed = await call(listEntry.DELETE, "DELETE", "/x", {
      key: world.keys.management,
      params: { mailboxId: world.mailbox.id, direction: "send", kind: "block", entry: encodeURIComponent("@evil.test") },
    });
    expect(removed.json).toEqual({ entry: "@evil.test", deleted: true });
    expect((await send(world, ["mallory@evil.test"])).status).toBe(202);
  });

  it("a non-empty send-allow list refuses everyone else; lists are per mailbox", async () => {
    const world = await createTestWorld();
    await add(world, world.keys.management, "send", "allow", "ann@example.com");
    await add(world, world.keys.management, "send", "allow", "@partner.test");
    expect((await send(world, ["ANN@example.com", "bo@partner.test"])).status).toBe(202);
    const refused = await send(world, ["ann@example.com", "carl@example.com", "dee@other.test"]);
    expect(refused.status).toBe(422);
    expect(refused.json.error.recipients).toEqual(["carl@example.com", "dee@other.test"]);

    const second = await createTestMailbox(world.tenant.id);
    expect((await send(world, ["carl@example.com"], second.id, world.keys.tenant)).status).toBe(202);
  });

  it("lists, validates and scopes entries", async () => {
    const world = await createTestWorld();
    await add(world, world.keys.tenant, "receive", "block", "spam@x.test");
    await add(world, world.keys.tenant, "receive", "block", "@y.test");
    const page = await call(lists.GET, "GET", "/x?limit=1", { key: world.keys.management, params: { mailboxId: world.mailbox.id, direction: "receive", kind: "block" } });
    expect(page.json.data).toEqual([expect.objectContaining({ entry: "@y.test" })]);
    const next = await call(lists.GET, "GET", `/x?limit=1&cursor=${page.json.nextCursor}`, {
      key: world.keys.management,
      params: { mailboxId: world.mailbox.id, direction: "receive", kind: "block" },
    });
    expect(next.json.data.map((e: { entry: string }) => e.entry)).toEqual(["spam@x.test"]);

    for (const bad of ["not an address", "@", "@-x.test", "a@b\r\n.test", ""]) {
      const res = await add(world, world.keys.management, "send", "block", bad);
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    // Receive allow lists exist now (quarantine holds everyone else's mail).
    const receiveAllow = await add(world, world.keys.management, "receive", "allow", "a@b.test");
    expect(receiveAllow.status).toBe(201);
    expect(await getDb().listEntry.count({ where: { mailboxId: world.mailbox.id, direction: "receive", kind: "allow" } })).toBe(1);
    const wrongList = await add(world, world.keys.management, "sideways", "block", "a@b.test");
    expect(wrongList.status).toBe(404);
    const agent = await add(world, world.keys.read_write, "send", "allow", "a@b.test");
    expect(agent.status).toBe(403);
    const missing = await call(listEntry.DELETE, "DELETE", "/x", {
      key: world.keys.management,
      params: { mailboxId: world.mailbox.id, direction: "send", kind: "allow", entry: "nobody%40x.test" },
    });
    expect(missing.status).toBe(404);
  });
});

describe("receive lists", () => {
  it("a receive-block drops the sender's mail for that mailbox only, counted, and the webhook still answers 200", async () => {
    const world = await createTestWorld();
    const second = await createTestMailbox(world.tenant.id);
    await add(world, world.keys.management, "receive", "block", "@Spam.test");
    const droppedBefore = await droppedToday();

    const res = await postRaw(rawMessage({ from: "Spammer <Bad@SPAM.test>", to: `${world.mailbox.address}, ${second.address}` }), {
      recipients: [world.mailbox.address, second.address],
    });
    expect(res.status).toBe(200);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    expect(await getDb().message.count({ where: { mailboxId: second.id } })).toBe(1);
    expect(await droppedToday()).toBe(droppedBefore + 1);

    const ok = await postRaw(rawMessage({ from: "friend@ok.test", to: world.mailbox.address }), { recipients: [world.mailbox.address] });
    expect(ok.status).toBe(200);
    const listed = await call(messages.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id } });
    expect(listed.json.data.map((m: { from: { address: string } | string }) => JSON.stringify(m.from))).toEqual([expect.stringContaining("friend@ok.test")]);
  });
});
