import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { verifyPassword } from "@/lib/auth/password";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";
import { fakeSession, signInAs } from "@/test/helpers/session";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "@/app/(dashboard)/members/actions";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function addUser(tenantId: string, role: MemberRole) {
  const db = getDb();
  const user = await db.user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  const membership = await db.membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return { user, membership };
}

let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let owner: Awaited<ReturnType<typeof addUser>>;

beforeEach(async () => {
  tenant = await createTestTenant();
  owner = await addUser(tenant.id, "owner");
});

describe("the last owner", () => {
  it("can neither be demoted nor removed, by themselves or anyone", async () => {
    signInAs(owner.user.id, tenant.id);
    expect(await changeMemberRoleAction({ membershipId: owner.membership.id, role: "admin" })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: expect.stringContaining("at least one owner") },
    });
    expect(await removeMemberAction({ membershipId: owner.membership.id })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect((await getDb().membership.findUniqueOrThrow({ where: { id: owner.membership.id } })).role).toBe("owner");
  });

  it("can step down once another owner exists, and then that owner is the last", async () => {
    const second = await addUser(tenant.id, "admin");
    signInAs(owner.user.id, tenant.id);
    expect(await changeMemberRoleAction({ membershipId: second.membership.id, role: "owner" })).toMatchObject({ ok: true });
    expect(await changeMemberRoleAction({ membershipId: owner.membership.id, role: "admin" })).toMatchObject({ ok: true, data: { role: "admin" } });
    signInAs(second.user.id, tenant.id);
    expect(await removeMemberAction({ membershipId: second.membership.id })).toMatchObject({ ok: false, error: { code: "conflict" } });
    const owners = await getDb().membership.findMany({ where: { tenantId: tenant.id, role: "owner" } });
    expect(owners.map((o) => o.id)).toEqual([second.membership.id]);
    const actions = (await getDb().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.role_changed" }, orderBy: { id: "asc" } })).map((e) => e.metadata);
    expect(actions).toEqual([
      expect.objectContaining({ from: "admin", to: "owner" }),
      expect.objectContaining({ from: "owner", to: "admin" }),
    ]);
  });

  it("survives two owners demoting each other at the same moment", async () => {
    const second = await addUser(tenant.id, "owner");
    signInAs(owner.user.id, tenant.id);
    const results = await Promise.allSettled([
      changeMemberRoleAction({ membershipId: second.membership.id, role: "viewer" }),
      changeMemberRoleAction({ membershipId: owner.membership.id, role: "viewer" }),
    ]);
    const owners = await getDb().membership.count({ where: { tenantId: tenant.id, role: "owner" } });
    expect(owners).toBe(1);
    expect(results.filter((r) => r.status === "fulfilled" && r.value.ok)).toHaveLength(1);
  });
});

describe("managing members", () => {
  it("an admin cannot grant or take away the owner role", async () => {
    const admin = await addUser(tenant.id, "admin");
    const viewer = await addUser(tenant.id, "viewer");
    signInAs(admin.user.id, tenant.id);
    expect(await changeMemberRoleAction({ membershipId: viewer.membership.id, role: "owner" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await changeMemberRoleAction({ membershipId: owner.membership.id, role: "viewer" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await removeMemberAction({ membershipId: owner.membership.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await addMemberAction({ email: "boss@example.test", role: "owner" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await changeMemberRoleAction({ membershipId: viewer.membership.id, role: "admin" })).toMatchObject({ ok: true });
  });

  it("adds a new person with a one-time temporary password, and an existing user without one", async () => {
    signInAs(owner.user.id, tenant.id);
    const email = `new-${uuidv7()}@example.test`;
    const added = await addMemberAction({ email: email.toUpperCase(), role: "viewer" });
    if (!added.ok) throw new Error(added.error.message);
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(added.data.temporaryPassword).toMatch(/^.{10,}$/);
    expect(user.passwordHash).not.toContain(added.data.temporaryPassword);
    expect(await verifyPassword(added.data.temporaryPassword!, user.passwordHash!)).toBe(true);

    expect(await addMemberAction({ email, role: "admin" })).toMatchObject({ ok: false, error: { code: "conflict" } });

    const other = await createTestTenant();
    signInAs(owner.user.id, tenant.id);
    const elsewhere = await addUser(other.id, "owner");
    const existing = await addMemberAction({ email: elsewhere.user.email, role: "admin" });
    expect(existing).toMatchObject({ ok: true, data: { temporaryPassword: null } });

    const audit = await getDb().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.added" } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(added.data.temporaryPassword);
  });

  it("removes a member, who then no longer reaches the tenant", async () => {
    const viewer = await addUser(tenant.id, "viewer");
    signInAs(owner.user.id, tenant.id);
    expect(await removeMemberAction({ membershipId: viewer.membership.id })).toMatchObject({ ok: true });
    expect(await getDb().membership.count({ where: { id: viewer.membership.id } })).toBe(0);
    // Their session has ended; signed in again, they are no member of it.
    signInAs(viewer.user.id, tenant.id);
    expect(await addMemberAction({ email: "x@example.test", role: "viewer" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    fakeSession.sessionVersion = 1;
    expect(await addMemberAction({ email: "x@example.test", role: "viewer" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const removed = await getDb().auditEvent.findFirst({ where: { tenantId: tenant.id, action: "member.removed" } });
    expect(removed?.metadata).toMatchObject({ email: viewer.user.email, role: "viewer" });
  });
});
