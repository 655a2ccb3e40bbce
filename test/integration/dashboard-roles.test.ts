import { afterAll, describe, expect, it, vi, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestKey, createTestMailbox, createTestTenant } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";
import { createKeyAction, revokeKeyAction } from "@/app/(dashboard)/keys/actions";
import { createMailboxAction, deleteMailboxAction, setMailboxStatusAction, updateMailboxSettingsAction } from "@/app/(dashboard)/mailboxes/actions";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "@/app/(dashboard)/members/actions";
import { addDomainAction } from "@/app/(dashboard)/domains/actions";
import * as dashboardMailboxes from "@/app/api/dashboard/mailboxes/route";
import { call } from "@/test/helpers/api";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

// The faked request arrives through one reverse proxy (its X-Forwarded-For, see
// test/helpers/session.ts), so the audit log records the client IP only when that
// proxy is trusted.
beforeAll(() => {
  process.env.SAIRAPH_TRUSTED_PROXY_HOPS = "1";
  resetEnvCache();
});
afterAll(() => {
  delete process.env.SAIRAPH_TRUSTED_PROXY_HOPS;
  resetEnvCache();
});

async function addUser(tenantId: string, role: MemberRole, email = `${role}-${uuidv7()}@example.test`) {
  const db = getDb();
  const user = await db.user.create({ data: { id: uuidv7(), emailVerified: new Date(), email } });
  const membership = await db.membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return { user, membership };
}

let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
let aAdmin: Awaited<ReturnType<typeof addUser>>;
let aViewer: Awaited<ReturnType<typeof addUser>>;
let bOwner: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  a = await createTestTenant("Tenant A");
  b = await createTestTenant("Tenant B");
  await addUser(a.id, "owner");
  aAdmin = await addUser(a.id, "admin");
  aViewer = await addUser(a.id, "viewer");
  bOwner = await addUser(b.id, "owner");
});

describe("a viewer is refused every change on the server", () => {
  it("cannot issue or revoke a key", async () => {
    const mailbox = await createTestMailbox(a.id);
    const { key } = await createTestKey(a.id, { mailboxId: mailbox.id, role: "read" });
    signInAs(aViewer.user.id, a.id);

    const issued = await createKeyAction({ kind: "mailbox", mailboxId: mailbox.id, role: "read", expiry: "none" });
    expect(issued).toEqual({ ok: false, error: { code: "forbidden", message: expect.stringMatching(/owner or admin.*viewer/) } });
    const mgmt = await createKeyAction({ kind: "tenant", expiry: "7" });
    expect(mgmt.ok).toBe(false);
    expect(await getDb().apiKey.count({ where: { tenantId: a.id } })).toBe(1);

    const revoked = await revokeKeyAction({ keyId: key.id });
    expect(revoked).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });

  it("cannot create, suspend or delete a mailbox, add a domain or manage members", async () => {
    const mailbox = await createTestMailbox(a.id);
    signInAs(aViewer.user.id, a.id);
    const refusals = [
      await createMailboxAction({ localPart: "sneaky", domain: a.devDomain.name }),
      await setMailboxStatusAction({ mailboxId: mailbox.id, status: "suspended" }),
      await deleteMailboxAction({ mailboxId: mailbox.id }),
      await addDomainAction({ domain: "viewer.example.test" }),
      await addMemberAction({ email: "friend@example.test", role: "admin" }),
      await changeMemberRoleAction({ membershipId: aViewer.membership.id, role: "owner" }),
      await removeMemberAction({ membershipId: aAdmin.membership.id }),
    ];
    for (const result of refusals) expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const after = await getDb().mailbox.findUniqueOrThrow({ where: { id: mailbox.id } });
    expect(after.status).toBe("active");
    expect(await getDb().mailboxDataKey.count({ where: { mailboxId: mailbox.id } })).toBe(1);
    expect(await getDb().mailbox.count({ where: { tenantId: a.id, localPart: "sneaky" } })).toBe(0);
    expect((await getDb().membership.findUniqueOrThrow({ where: { id: aViewer.membership.id } })).role).toBe("viewer");
  });

  it("can still read the mailbox list", async () => {
    signInAs(aViewer.user.id, a.id);
    const res = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes");
    expect(res.status).toBe(200);
    expect(res.json.data.length).toBeGreaterThan(0);
  });
});

describe("an admin acts only on their own tenant", () => {
  it("issues and revokes keys, with the member recorded in the audit log", async () => {
    const mailbox = await createTestMailbox(a.id);
    signInAs(aAdmin.user.id, a.id);
    const issued = await createKeyAction({ kind: "mailbox", mailboxId: mailbox.id, role: "read_write", expiry: "30", requestsPerMinute: 42 });
    if (!issued.ok) throw new Error(issued.error.message);
    expect(issued.data.secret).toMatch(/^sm_live_/);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: issued.data.id } });
    expect(row).toMatchObject({ tenantId: a.id, mailboxId: mailbox.id, role: "read_write", requestsPerMinute: 42, createdByUserId: aAdmin.user.id });
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(JSON.stringify(row)).not.toContain(issued.data.secret);

    expect(await revokeKeyAction({ keyId: issued.data.id })).toMatchObject({ ok: true });
    const events = await getDb().auditEvent.findMany({ where: { tenantId: a.id, targetId: issued.data.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.ip])).toEqual([
      ["key.issued", aAdmin.user.id, "203.0.113.7"],
      ["key.revoked", aAdmin.user.id, "203.0.113.7"],
    ]);
  });

  it("issues a management key with a date expiry and refuses a date in the past", async () => {
    signInAs(aAdmin.user.id, a.id);
    const next = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const ok = await createKeyAction({ kind: "tenant", expiry: "date", expiresOn: next });
    if (!ok.ok) throw new Error(ok.error.message);
    expect(ok.data.secret).toMatch(/^sm_mgmt_/);
    const past = await createKeyAction({ kind: "tenant", expiry: "date", expiresOn: "2020-01-01" });
    expect(past).toMatchObject({ ok: false, error: { code: "validation_error" } });
  });

  it("finds nothing of another tenant: mailbox, key and member ids of tenant B are not found", async () => {
    const bMailbox = await createTestMailbox(b.id);
    const { key: bKey } = await createTestKey(b.id, { mailboxId: bMailbox.id, role: "read" });
    signInAs(aAdmin.user.id, a.id);
    const results = [
      await revokeKeyAction({ keyId: bKey.id }),
      await deleteMailboxAction({ mailboxId: bMailbox.id }),
      await setMailboxStatusAction({ mailboxId: bMailbox.id, status: "suspended" }),
      await createKeyAction({ kind: "mailbox", mailboxId: bMailbox.id, role: "read", expiry: "none" }),
      await changeMemberRoleAction({ membershipId: bOwner.membership.id, role: "viewer" }),
      await removeMemberAction({ membershipId: bOwner.membership.id }),
    ];
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: bKey.id } })).revokedAt).toBeNull();
    expect((await getDb().mailbox.findUniqueOrThrow({ where: { id: bMailbox.id } })).status).toBe("active");
    expect(await getDb().membership.count({ where: { id: bOwner.membership.id, role: "owner" } })).toBe(1);
    expect(await getDb().apiKey.count({ where: { tenantId: b.id } })).toBe(1);
  });

  it("cannot reach another tenant by setting the active-tenant cookie to it", async () => {
    const bMailbox = await createTestMailbox(b.id);
    // The cookie names tenant B, but the admin is a member of A only: A stays active.
    signInAs(aAdmin.user.id, b.id);
    const res = await createKeyAction({ kind: "mailbox", mailboxId: bMailbox.id, role: "read", expiry: "none" });
    expect(res).toMatchObject({ ok: false, error: { code: "not_found" } });
    const created = await createMailboxAction({ localPart: "cookie-test", domain: a.devDomain.name });
    expect(created.ok).toBe(true);
    expect(await getDb().mailbox.count({ where: { tenantId: a.id, localPart: "cookie-test" } })).toBe(1);
    const list = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes");
    expect(list.json.data.some((m: { id: string }) => m.id === bMailbox.id)).toBe(false);
  });

  it("switches tenant only among the user's memberships", async () => {
    const both = await addUser(a.id, "admin");
    await getDb().membership.create({ data: { id: uuidv7(), tenantId: b.id, userId: both.user.id, role: "admin" } });
    const bMailbox = await createTestMailbox(b.id);
    signInAs(both.user.id, a.id);
    expect(await setMailboxStatusAction({ mailboxId: bMailbox.id, status: "suspended" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    signInAs(both.user.id, b.id);
    expect(await setMailboxStatusAction({ mailboxId: bMailbox.id, status: "suspended" })).toMatchObject({ ok: true, data: { status: "suspended" } });
    expect(await setMailboxStatusAction({ mailboxId: bMailbox.id, status: "active" })).toMatchObject({ ok: true, data: { status: "active" } });
    const actions = (await getDb().auditEvent.findMany({ where: { tenantId: b.id, targetId: bMailbox.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["mailbox.created", "mailbox.suspended", "mailbox.resumed"]);
  });

  it("never makes a tenant of a region this deployment does not serve active", async () => {
    const elsewhere = await getDb().tenant.create({ data: { id: uuidv7(), name: "US tenant", region: "us" } });
    const both = await addUser(elsewhere.id, "owner");
    signInAs(both.user.id, elsewhere.id);
    expect(await createKeyAction({ kind: "tenant", expiry: "none" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await getDb().membership.create({ data: { id: uuidv7(), tenantId: a.id, userId: both.user.id, role: "viewer" } });
    const { resolveSessionContext } = await import("@/lib/auth/resolve-session");
    const resolution = await resolveSessionContext({ userId: both.user.id, preferredTenantId: elsewhere.id });
    expect(resolution).toMatchObject({ status: "ok", context: { tenant: { id: a.id, region: "eu" }, role: "viewer" } });
    if (resolution.status === "ok") expect(resolution.context.memberships.map((m) => m.tenantId)).toEqual([a.id]);
  });

  it("searches mailboxes by address, display name and client ref", async () => {
    await createTestMailbox(a.id, "zeta-search", { displayName: "Quokka Support", clientRef: "cus_find_me" });
    signInAs(aAdmin.user.id, a.id);
    for (const q of ["zeta-se", "quokka", "FIND_ME"]) {
      const res = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes", { query: { q } });
      expect(res.json.data.map((m: { localPart?: string; address: string }) => m.address.split("@")[0]), q).toEqual(["zeta-search"]);
    }
  });

  it("answers a search with control characters or a bad cursor with 400, not a database error", async () => {
    signInAs(aAdmin.user.id, a.id);
    expect(await listAuditEvents({ tenantId: a.id, action: "mailbox.created\u0000" })).toEqual({ data: [], nextCursor: null });
    const queries: Record<string, string>[] = [{ q: "a\u0000b" }, { cursor: "x\u0000" }, { cursor: "not-a-cursor" }];
    for (const query of queries) {
      const res = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes", { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.json.error).toMatchObject({ code: "validation_error", requestId: res.headers.get("x-request-id") });
    }
  });

  it("pages through mailboxes newest first with a cursor", async () => {
    const tenant = await createTestTenant();
    const owner = await addUser(tenant.id, "owner");
    const created = [];
    for (const name of ["p1", "p2", "p3"]) created.push(await createTestMailbox(tenant.id, name));
    signInAs(owner.user.id, tenant.id);
    const first = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes", { query: { limit: "2" } });
    expect(first.json.data.map((m: { id: string }) => m.id)).toEqual([created[2].id, created[1].id]);
    const second = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes", { query: { limit: "2", cursor: first.json.nextCursor } });
    expect(second.json).toEqual({ data: [expect.objectContaining({ id: created[0].id })], nextCursor: null });
  });

  it("refuses a signed-out caller", async () => {
    signInAs(null);
    expect(await createKeyAction({ kind: "tenant", expiry: "none" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    const res = await call(dashboardMailboxes.GET, "GET", "/api/dashboard/mailboxes");
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthorized");
  });
});

describe("mailbox settings from the dashboard", () => {
  it("an admin changes limits within the tenant cap; a viewer and another tenant's admin cannot", async () => {
    const mailbox = await createTestMailbox(a.id);
    signInAs(aViewer.user.id, a.id);
    expect(await updateMailboxSettingsAction({ mailboxId: mailbox.id, changes: { limits: { sendPerMinute: 5 } } })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    signInAs(bOwner.user.id, b.id);
    expect(await updateMailboxSettingsAction({ mailboxId: mailbox.id, changes: { limits: { sendPerMinute: 5 } } })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    signInAs(aAdmin.user.id, a.id);
    expect(await updateMailboxSettingsAction({ mailboxId: mailbox.id, changes: { limits: { sendPerMinute: 1_000_000 } } })).toMatchObject({
      ok: false,
      error: { code: "validation_error" },
    });
    expect(
      await updateMailboxSettingsAction({ mailboxId: mailbox.id, changes: { displayName: "Renamed", limits: { sendPerMinute: 5, sendPerDay: 50 } } }),
    ).toMatchObject({ ok: true, data: { sendPerMinute: 5, sendPerDay: 50, displayName: "Renamed" } });
    // Status cannot be smuggled in through the settings form.
    const smuggled = await updateMailboxSettingsAction({ mailboxId: mailbox.id, changes: { status: "suspended" } as never });
    expect(smuggled).toMatchObject({ ok: false, error: { code: "validation_error" } });
    expect((await getDb().mailbox.findUniqueOrThrow({ where: { id: mailbox.id } })).status).toBe("active");
  });
});

describe("deleting a mailbox from the dashboard", () => {
  it("destroys its data key and its API keys stop working", async () => {
    const mailbox = await createTestMailbox(a.id);
    const { key, secret } = await createTestKey(a.id, { mailboxId: mailbox.id, role: "read_write" });
    expect(await getDb().mailboxDataKey.count({ where: { tenantId: a.id, mailboxId: mailbox.id } })).toBe(1);
    signInAs(aAdmin.user.id, a.id);

    expect(await deleteMailboxAction({ mailboxId: mailbox.id })).toMatchObject({ ok: true });

    expect(await getDb().mailboxDataKey.count({ where: { mailboxId: mailbox.id } })).toBe(0);
    const keyRow = await getDb().apiKey.findUnique({ where: { id: key.id } });
    expect(keyRow === null || keyRow.revokedAt !== null).toBe(true);
    const { lookupKey } = await import("@/lib/keys/authenticate-key");
    await expect(
      (async () => {
        const record = await lookupKey(secret);
        const { checkKeyState } = await import("@/lib/keys/authenticate-key");
        checkKeyState(record);
      })(),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(unauthorized|key_revoked)$/) });
    const audit = await getDb().auditEvent.findFirst({ where: { tenantId: a.id, action: "mailbox.deleted", targetId: mailbox.id } });
    expect(audit?.actorId).toBe(aAdmin.user.id);
    // Deleted once: a second delete finds nothing.
    expect(await deleteMailboxAction({ mailboxId: mailbox.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});
