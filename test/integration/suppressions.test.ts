import { describe, expect, it } from "vitest";
import * as list from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/route";
import * as one from "@/app/api/v1/mailboxes/[mailboxId]/suppressions/[address]/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

const add = (key: string, mailboxId: string, body: unknown) => call(list.POST, "POST", "/x", { key, params: { mailboxId }, body });
const get = (key: string, mailboxId: string, query: Record<string, string> = {}) => call(list.GET, "GET", "/x", { key, params: { mailboxId }, query });
const remove = (key: string, mailboxId: string, address: string) => call(one.DELETE, "DELETE", "/x", { key, params: { mailboxId, address } });
const send = (key: string, mailboxId: string, to: string[]) =>
  call(messages.POST, "POST", "/x", { key, params: { mailboxId }, body: { to, subject: "Hi", text: "x" } });

describe("/api/v1/mailboxes/{id}/suppressions", () => {
  it("adds (manual by default), lists newest first with pages, removes by URL-encoded address", async () => {
    const world = await createTestWorld();
    const id = world.mailbox.id;
    const created = await add(world.keys.management, id, { address: "Ann@Example.com" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ address: "ann@example.com", reason: "manual" });
    expect((await add(world.keys.management, id, { address: "ANN@example.com", reason: "complaint" })).status).toBe(200);
    await add(world.keys.tenant, id, { address: "bob+tag@example.com", reason: "bounce" });
    expect((await add(world.keys.management, id, { address: "nope" })).status).toBe(400);
    expect((await add(world.keys.management, id, { address: "a@b.com\r\nX: y" })).status).toBe(400);

    const page1 = await get(world.keys.read, id, { limit: "1" });
    expect(page1.status).toBe(200);
    expect(page1.json.data).toEqual([{ address: "bob+tag@example.com", reason: "bounce", createdAt: expect.any(String) }]);
    const page2 = await get(world.keys.read, id, { limit: "1", cursor: page1.json.nextCursor });
    expect(page2.json).toMatchObject({ data: [{ address: "ann@example.com", reason: "manual" }], nextCursor: null });

    // The suppressed address is stored only as a blind hash and ciphertext.
    const rows = await getDb().suppression.findMany({ where: { mailboxId: id } });
    expect(JSON.stringify(rows.map((r) => [r.addressHash, Buffer.from(r.addressCipher).toString("latin1")]))).not.toMatch(/example\.com/);

    const refused = await send(world.keys.read_write, id, ["x@example.com", "BOB+TAG@example.com"]);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: "recipient_suppressed", suppressed: ["bob+tag@example.com"] });

    expect((await remove(world.keys.management, id, encodeURIComponent("Bob+Tag@example.com"))).status).toBe(200);
    expect((await remove(world.keys.management, id, "bob+tag@example.com")).status).toBe(404);
    expect((await send(world.keys.read_write, id, ["bob+tag@example.com"])).status).toBe(202);
  });

  it("needs read to list and management to change", async () => {
    const world = await createTestWorld();
    const id = world.mailbox.id;
    expect((await add(world.keys.read_write, id, { address: "a@example.com" })).status).toBe(403);
    expect((await remove(world.keys.read_write, id, "a@example.com")).status).toBe(403);
    expect((await get(world.keys.read, id)).status).toBe(200);
  });

  it("is never shared across mailboxes or tenants", async () => {
    const a = await createTestWorld();
    const sibling = await createTestMailbox(a.tenant.id);
    const siblingKey = await createTestKey(a.tenant.id, { mailboxId: sibling.id, role: "management" });
    const b = await createTestWorld();
    await add(a.keys.management, a.mailbox.id, { address: "shared@example.com" });

    expect((await send(a.keys.read_write, a.mailbox.id, ["shared@example.com"])).status).toBe(422);
    expect((await send(siblingKey.secret, sibling.id, ["shared@example.com"])).status).toBe(202);
    expect((await send(b.keys.read_write, b.mailbox.id, ["shared@example.com"])).status).toBe(202);
    expect((await get(siblingKey.secret, sibling.id)).json.data).toEqual([]);
    expect((await get(b.keys.read, b.mailbox.id)).json.data).toEqual([]);

    // Another tenant's or mailbox's list is not found, not forbidden.
    expect((await get(b.keys.tenant, a.mailbox.id)).status).toBe(404);
    expect((await get(siblingKey.secret, a.mailbox.id)).status).toBe(404);
    expect((await remove(b.keys.tenant, a.mailbox.id, "shared@example.com")).status).toBe(404);
    expect((await remove(siblingKey.secret, sibling.id, "shared@example.com")).status).toBe(404);
    expect((await send(a.keys.read_write, a.mailbox.id, ["shared@example.com"])).status).toBe(422);
  });
});
