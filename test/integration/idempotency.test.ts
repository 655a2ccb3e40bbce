import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import { getDb } from "@/lib/db";
import { beginIdempotentRequest } from "@/lib/idempotency/idempotency-records";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestKey, createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

const body = { to: ["ann@example.com"], subject: "Invoice", text: "Attached" };
const send = (key: string, mailboxId: string, payload: unknown, idempotencyKey?: string) =>
  call(messages.POST, "POST", `/api/v1/mailboxes/${mailboxId}/messages`, {
    key,
    params: { mailboxId },
    body: payload,
    headers: idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey },
  });

describe("Idempotency-Key on send and reply", () => {
  it("replays the first response for the same body; 422 for another body; one email only", async () => {
    const world = await createTestWorld();
    const first = await send(world.keys.read_write, world.mailbox.id, body, "order-42");
    expect(first.status).toBe(202);
    // Same content, other key order and a single address instead of a list: the same request.
    const again = await send(world.keys.read_write, world.mailbox.id, { text: "Attached", subject: "Invoice", to: "ann@example.com" }, "order-42");
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
    expect(await getDb().job.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);

    const conflict = await send(world.keys.read_write, world.mailbox.id, { ...body, text: "Other" }, "order-42");
    expect(conflict.status).toBe(422);
    expect(conflict.json.error.code).toBe("idempotency_conflict");
    // Same key on another mailbox of the tenant is another request too.
    const other = await createTestMailbox(world.tenant.id);
    expect((await send(world.keys.tenant, other.id, body, "order-42")).json.error.code).toBe("idempotency_conflict");
    // The stored response is ciphertext, never plaintext.
    const record = await getDb().idempotencyRecord.findFirstOrThrow({ where: { tenantId: world.tenant.id, key: "order-42" } });
    expect(Buffer.from(record.responseCipher!).toString("latin1")).not.toContain("Attached");
    // The request hash is keyed per mailbox: a dump cannot confirm a guessed body by hashing it.
    const { idempotencyRequestHash } = await import("@/lib/idempotency/idempotency-records");
    const { sendMessageBody } = await import("@/lib/outbound/schemas");
    const plainHash = idempotencyRequestHash("POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, sendMessageBody.parse(body));
    expect(record.requestHash).not.toBe(plainHash);
    expect(record.requestHash).not.toContain(plainHash.slice(0, 16));
    // Keys are per tenant.
    const b = await createTestWorld();
    expect((await send(b.keys.read_write, b.mailbox.id, body, "order-42")).status).toBe(202);
  });

  it("409 while the first request runs; a crashed first request frees the key when its lock expires", async () => {
    const world = await createTestWorld();
    const path = `/api/v1/mailboxes/${world.mailbox.id}/messages`;
    const { idempotencyRequestHash } = await import("@/lib/idempotency/idempotency-records");
    const { sendMessageBody } = await import("@/lib/outbound/schemas");
    const started = await beginIdempotentRequest({
      tenantId: world.tenant.id,
      mailboxId: world.mailbox.id,
      key: "slow-1",
      requestHash: idempotencyRequestHash("POST", path, sendMessageBody.parse(body)),
    });
    expect(started.kind).toBe("started");
    const busy = await send(world.keys.read_write, world.mailbox.id, body, "slow-1");
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe("idempotency_in_progress");
    expect((await send(world.keys.read_write, world.mailbox.id, { ...body, text: "x" }, "slow-1")).status).toBe(422);

    await getDb().idempotencyRecord.updateMany({ where: { key: "slow-1" }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const retried = await send(world.keys.read_write, world.mailbox.id, body, "slow-1");
    expect(retried.status).toBe(202);
  });

  it("a failed first attempt (limit, suppression) does not hold the key", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerMinute: 0 } });
    const limited = await send(world.keys.read_write, world.mailbox.id, body, "retry-me");
    expect(limited.status).toBe(429);
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerMinute: 60 } });
    const ok = await send(world.keys.read_write, world.mailbox.id, body, "retry-me");
    expect(ok.status).toBe(202);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
  });

  it("concurrent duplicates send one email", async () => {
    const world = await createTestWorld();
    const results = await Promise.all(Array.from({ length: 8 }, () => send(world.keys.read_write, world.mailbox.id, body, "burst")));
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 202 || r.json.error.code === "idempotency_in_progress")).toBe(true);
    expect(new Set(accepted.map((r) => r.json.id)).size).toBe(1);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
  });

  it("validates the key and works on reply", async () => {
    const world = await createTestWorld();
    for (const bad of ["", "x".repeat(256), "caf\u00e9", "tab\there"]) {
      const res = await send(world.keys.read_write, world.mailbox.id, body, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.error.code).toBe("invalid_idempotency_key");
    }
    expect((await send(world.keys.read_write, world.mailbox.id, body, "x".repeat(255))).status).toBe(202);

    const sent = await send(world.keys.read_write, world.mailbox.id, body);
    const params = { mailboxId: world.mailbox.id, messageId: sent.json.id };
    const path = `/api/v1/mailboxes/${world.mailbox.id}/messages/${sent.json.id}/reply`;
    const r1 = await call(reply.POST, "POST", path, { key: world.keys.read_write, params, body: { text: "Follow-up" }, headers: { "idempotency-key": "reply-1" } });
    const r2 = await call(reply.POST, "POST", path, { key: world.keys.read_write, params, body: { text: "Follow-up" }, headers: { "idempotency-key": "reply-1" } });
    expect(r1.status).toBe(202);
    expect(r2.json).toEqual(r1.json);
    const r3 = await call(reply.POST, "POST", path, { key: world.keys.read_write, params, body: { text: "Other" }, headers: { "idempotency-key": "reply-1" } });
    expect(r3.status).toBe(422);
    const key2 = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "read_write" });
    // Another key of the same tenant sees the same record.
    const r4 = await call(reply.POST, "POST", path, { key: key2.secret, params, body: { text: "Follow-up" }, headers: { "idempotency-key": "reply-1" } });
    expect(r4.json.id).toBe(r1.json.id);
  });
});
