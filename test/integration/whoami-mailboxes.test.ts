import { describe, expect, it } from "vitest";
import * as whoami from "@/app/api/v1/whoami/route";
import * as mailboxes from "@/app/api/v1/mailboxes/route";
import * as mailbox from "@/app/api/v1/mailboxes/[mailboxId]/route";
import { getDb } from "@/lib/db";
import { revokeKey } from "@/lib/keys/issue-key";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";

setupTestDatabase();

describe("GET /api/v1/whoami", () => {
  it("describes a mailbox key and a management key", async () => {
    const world = await createTestWorld();
    const res = await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.read });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.json).toMatchObject({
      key: { kind: "mailbox", role: "read", prefix: world.keys.read.slice(0, 12), last4: world.keys.read.slice(-4), expiresAt: null },
      tenant: { id: world.tenant.id, region: "eu" },
      mailbox: { id: world.mailbox.id, address: world.mailbox.address },
    });
    const mgmt = await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.tenant });
    expect(mgmt.json).toMatchObject({ key: { kind: "tenant", role: "management" }, mailbox: null });
  });

  it("refuses missing, malformed, expired and revoked keys in the error shape", async () => {
    const world = await createTestWorld();
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, "unauthorized"],
      ["sm_live_nope", 401, "unauthorized"],
      [world.keys.read.slice(0, -1) + (world.keys.read.endsWith("A") ? "B" : "A"), 401, "unauthorized"],
    ];
    for (const [key, status, code] of cases) {
      const res = await call(whoami.GET, "GET", "/api/v1/whoami", { key });
      expect(res.status).toBe(status);
      expect(res.json.error).toMatchObject({ code, requestId: res.headers.get("x-request-id") });
    }
    const expiring = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "read", expiresAt: new Date(Date.now() + 60_000) });
    await getDb().apiKey.update({ where: { id: expiring.key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(whoami.GET, "GET", "/api/v1/whoami", { key: expiring.secret })).json.error.code).toBe("key_expired");

    const revoking = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "read" });
    expect((await call(whoami.GET, "GET", "/api/v1/whoami", { key: revoking.secret })).status).toBe(200);
    await revokeKey({ keyId: revoking.key.id, actor: TEST_ACTOR });
    const revoked = await call(whoami.GET, "GET", "/api/v1/whoami", { key: revoking.secret });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.code).toBe("key_revoked");
  });

  it("records last use at most once a minute", async () => {
    const world = await createTestWorld();
    const row = () => getDb().apiKey.findFirstOrThrow({ where: { prefix: world.keys.read.slice(0, 12), tenantId: world.tenant.id } });
    expect((await row()).lastUsedAt).toBeNull();
    await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.read });
    await new Promise((r) => setTimeout(r, 100));
    const first = (await row()).lastUsedAt;
    expect(first).not.toBeNull();
    await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.read });
    await new Promise((r) => setTimeout(r, 100));
    expect((await row()).lastUsedAt).toEqual(first);
  });

  it("rate-limits per key with Retry-After and RateLimit fields, without slowing another key", async () => {
    const world = await createTestWorld();
    const limited = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "read", requestsPerMinute: 3 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await call(whoami.GET, "GET", "/api/v1/whoami", { key: limited.secret });
      statuses.push(last.status);
    }
    // A window boundary may fall inside the loop, so count rather than fix positions.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    const refused = last!.status === 429 ? last! : await call(whoami.GET, "GET", "/api/v1/whoami", { key: limited.secret });
    expect(refused.json.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-policy")).toBe('"key";q=3;w=60');
    expect(refused.headers.get("ratelimit")).toMatch(/^"key";r=0;t=\d+$/);
    const other = await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.read });
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit")).toMatch(/^"key";r=59\d;t=\d+$/);
  });
});

describe("/api/v1/mailboxes", () => {
  it("creates, lists, gets, patches and deletes mailboxes with a management key", async () => {
    const world = await createTestWorld();
    const created = await call(mailboxes.POST, "POST", "/api/v1/mailboxes", {
      key: world.keys.tenant,
      body: { localPart: "Bob", displayName: "Bob B", clientRef: "cus_42" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ localPart: "bob", displayName: "Bob B", clientRef: "cus_42", status: "active", limits: { sendPerMinute: 60, sendPerDay: 1000 } });
    const dup = await call(mailboxes.POST, "POST", "/api/v1/mailboxes", { key: world.keys.tenant, body: { localPart: "other", clientRef: "cus_42" } });
    expect(dup.status).toBe(409);
    const invalid = await call(mailboxes.POST, "POST", "/api/v1/mailboxes", { key: world.keys.tenant, body: { localPart: "a b", extra: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details.length).toBeGreaterThan(0);

    const page1 = await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { limit: "1" } });
    expect(page1.json.data).toHaveLength(1);
    expect(page1.json.data[0].id).toBe(created.json.id);
    const page2 = await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { limit: "1", cursor: page1.json.nextCursor } });
    expect(page2.json.data[0].id).toBe(world.mailbox.id);
    expect(page2.json.nextCursor).toBeNull();
    const search = await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { q: "cus_4" } });
    expect(search.json.data.map((m: { id: string }) => m.id)).toEqual([created.json.id]);

    const params = { mailboxId: created.json.id };
    const patched = await call(mailbox.PATCH, "PATCH", `/api/v1/mailboxes/${params.mailboxId}`, {
      key: world.keys.tenant,
      params,
      body: { status: "suspended", limits: { sendPerMinute: 5 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ status: "suspended", limits: { sendPerMinute: 5, sendPerDay: 1000 } });
    const overCap = await call(mailbox.PATCH, "PATCH", `/api/v1/mailboxes/${params.mailboxId}`, { key: world.keys.tenant, params, body: { limits: { sendPerDay: 10_000_000 } } });
    expect(overCap.status).toBe(400);

    const deleted = await call(mailbox.DELETE, "DELETE", `/api/v1/mailboxes/${params.mailboxId}`, { key: world.keys.tenant, params });
    expect(deleted.status).toBe(200);
    expect((await call(mailbox.GET, "GET", `/api/v1/mailboxes/${params.mailboxId}`, { key: world.keys.tenant, params })).status).toBe(404);
    expect(await getDb().mailboxDataKey.count({ where: { mailboxId: params.mailboxId } })).toBe(0);
  });

  it("suspends through REST with the same audit event as the dashboard, and searches case-insensitively like it", async () => {
    const world = await createTestWorld();
    const other = await createTestMailbox(world.tenant.id, "casey", { clientRef: "CUS_Mixed_7" });
    for (const q of ["cus_mixed", "CASEY"]) {
      const found = await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { q } });
      expect(found.json.data.map((m: { id: string }) => m.id), q).toEqual([other.id]);
    }
    const params = { mailboxId: other.id };
    await call(mailbox.PATCH, "PATCH", "/x", { key: world.keys.tenant, params, body: { status: "suspended" } });
    const events = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, targetId: other.id, action: "mailbox.suspended" } });
    expect(events.map((e) => e.metadata)).toEqual([{ address: other.address }]);
  });

  it("a mailbox management key may change limits but not status; a suspended mailbox refuses its keys", async () => {
    const world = await createTestWorld();
    const params = { mailboxId: world.mailbox.id };
    const status = await call(mailbox.PATCH, "PATCH", "/x", { key: world.keys.management, params, body: { status: "suspended" } });
    expect(status.status).toBe(403);
    const limits = await call(mailbox.PATCH, "PATCH", "/x", { key: world.keys.management, params, body: { limits: { sendPerDay: 50 } } });
    expect(limits.status).toBe(200);
    await call(mailbox.PATCH, "PATCH", "/x", { key: world.keys.tenant, params, body: { status: "suspended" } });
    const refused = await call(whoami.GET, "GET", "/api/v1/whoami", { key: world.keys.read });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("mailbox_suspended");
    expect((await call(mailbox.GET, "GET", "/x", { key: world.keys.tenant, params })).status).toBe(200);
  });

  it("another tenant's or mailbox's ids are not found", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const otherBox = await createTestMailbox(a.tenant.id);
    for (const [key, id] of [[b.keys.tenant, a.mailbox.id], [a.keys.read, otherBox.id], [a.keys.management, otherBox.id]] as const) {
      const res = await call(mailbox.GET, "GET", "/x", { key, params: { mailboxId: id } });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
    await createTestMailbox(a.tenant.id, "visible", { clientRef: "ref" });
    const list = await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: b.keys.tenant });
    expect(list.json.data.map((m: { id: string }) => m.id)).toEqual([b.mailbox.id]);
  });
});

describe("mailbox text fields with control characters", () => {
  it("are refused with 400 validation_error, never a 500 from the database", async () => {
    const world = await createTestWorld();
    const cases = [
      await call(mailboxes.POST, "POST", "/api/v1/mailboxes", { key: world.keys.tenant, body: { localPart: "nul1", displayName: "a\u0000b" } }),
      await call(mailboxes.POST, "POST", "/api/v1/mailboxes", { key: world.keys.tenant, body: { localPart: "nul2", clientRef: "a\u0000b" } }),
      await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { q: "a\u0000b" } }),
      await call(mailboxes.GET, "GET", "/api/v1/mailboxes", { key: world.keys.tenant, query: { clientRef: "a\u0000b" } }),
      await call(mailbox.PATCH, "PATCH", `/api/v1/mailboxes/${world.mailbox.id}`, {
        key: world.keys.tenant,
        params: { mailboxId: world.mailbox.id },
        body: { displayName: "Evil\r\nBcc: x@example.com" },
      }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
      expect(res.json.error.details.length).toBeGreaterThan(0);
    }
  });
});

describe("deleting a mailbox", () => {
  it("writes a key.revoked audit event for every key it revokes", async () => {
    const world = await createTestWorld();
    const keys = await getDb().apiKey.findMany({ where: { mailboxId: world.mailbox.id }, select: { id: true } });
    expect(keys).toHaveLength(3);
    const params = { mailboxId: world.mailbox.id };
    const deleted = await call(mailbox.DELETE, "DELETE", "/x", { key: world.keys.tenant, params });
    expect(deleted.status).toBe(200);
    const events = await getDb().auditEvent.findMany({ where: { tenantId: world.tenant.id, action: "key.revoked" } });
    expect(events.map((e) => e.targetId).sort()).toEqual(keys.map((k) => k.id).sort());
    expect(events.every((e) => e.actorType === "key" && JSON.stringify(e.metadata).includes("mailbox_deleted"))).toBe(true);
  });
});
