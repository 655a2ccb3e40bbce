import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";
import { fakeSession, signInAs } from "@/test/helpers/session";
import { changePasswordAction, signOutEverywhereAction } from "@/app/(dashboard)/account/actions";
import { removeMemberAction } from "@/app/(dashboard)/members/actions";
import { runSessionAction } from "@/lib/http/with-session";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

const PASSWORD = "the current password";

async function member(tenantId: string, role: MemberRole, password: string | null = PASSWORD) {
  const email = `${role}-${uuidv7()}@example.test`;
  const user = await getDb().user.create({
    data: { id: uuidv7(), email, emailVerified: new Date(), passwordHash: password ? await hashPassword(password) : null },
  });
  const membership = await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return { user, membership, email };
}

/** What any dashboard request of the current (fake) session gets: its tenant, or the error. */
const getOverviewAction = () => runSessionAction({}, async (session) => session.tenant.id);

/** A session issued before `change`: same user, the version it was signed in with. */
async function asOldSession<T>(userId: string, tenantId: string, version: number, probe: () => Promise<T>): Promise<T> {
  signInAs(userId, tenantId);
  fakeSession.sessionVersion = version;
  return probe();
}

describe("changing one's password", () => {
  it("needs the current password, then ends every other session; the new password signs in", async () => {
    const tenant = await createTestTenant();
    const { user, email } = await member(tenant.id, "viewer");
    signInAs(user.id, tenant.id);

    expect(await changePasswordAction({ currentPassword: "not it at all", newPassword: "a brand new password" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: "short" })).toMatchObject({
      ok: false,
      error: { code: "validation_error" },
    });
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: "a brand new password" })).toMatchObject({
      ok: true,
      data: { changed: true },
    });

    expect((await authenticateWithPassword({ email, password: PASSWORD, ip: "192.0.2.1" })).outcome).toBe("invalid");
    expect((await authenticateWithPassword({ email, password: "a brand new password", ip: "192.0.2.1" })).outcome).toBe("ok");
    const event = await getDb().auditEvent.findFirst({ where: { tenantId: tenant.id, action: "member.password_changed" } });
    expect(event?.actorId).toBe(user.id);

    // The session signed in before the change is refused; one issued after (version 1) works.
    expect(await asOldSession(user.id, tenant.id, 0, getOverviewAction)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await asOldSession(user.id, tenant.id, 1, getOverviewAction)).toMatchObject({ ok: true });
  });

  it("throttles guesses of the current password like sign-in", async () => {
    const tenant = await createTestTenant();
    const { user } = await member(tenant.id, "viewer");
    signInAs(user.id, tenant.id);
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const result = await changePasswordAction({ currentPassword: `guess number ${i}`, newPassword: "a brand new password" });
      codes.push(result.ok ? "ok" : result.error.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("forbidden"));
    expect(codes).toContain("rate_limited");
    // Even the right password waits out the delay: a guesser cannot tell it apart.
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: "a brand new password" })).toMatchObject({
      ok: false,
      error: { code: "rate_limited" },
    });
  });

  it("sets a password on an OAuth-only account only after a fresh sign-in", async () => {
    const tenant = await createTestTenant();
    const { user, email } = await member(tenant.id, "viewer", null);
    signInAs(user.id, tenant.id);
    fakeSession.signedInAt = Date.now() - 11 * 60_000;
    expect(await changePasswordAction({ currentPassword: "", newPassword: "a first password" })).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringContaining("sign in again") },
    });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();

    fakeSession.signedInAt = Date.now() - 60_000;
    expect(await changePasswordAction({ currentPassword: "", newPassword: "a first password" })).toMatchObject({ ok: true });
    expect((await authenticateWithPassword({ email, password: "a first password", ip: null })).outcome).toBe("ok");
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the user, in every tenant", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const { user } = await member(tenant.id, "admin");
    await getDb().membership.create({ data: { id: uuidv7(), tenantId: other.id, userId: user.id, role: "viewer" } });
    expect(await asOldSession(user.id, other.id, 0, getOverviewAction)).toMatchObject({ ok: true });

    signInAs(user.id, tenant.id);
    expect(await signOutEverywhereAction()).toMatchObject({ ok: true });

    expect(await asOldSession(user.id, tenant.id, 0, getOverviewAction)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await asOldSession(user.id, other.id, 0, getOverviewAction)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await getDb().auditEvent.count({ where: { action: "member.signed_out_everywhere", targetId: user.id } })).toBe(2);
  });
});

describe("removal from a tenant", () => {
  it("ends the removed member's sessions at once, in their other tenants too", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const admin = await member(tenant.id, "admin");
    const removed = await member(tenant.id, "viewer");
    await getDb().membership.create({ data: { id: uuidv7(), tenantId: other.id, userId: removed.user.id, role: "owner" } });

    signInAs(admin.user.id, tenant.id);
    expect(await removeMemberAction({ membershipId: removed.membership.id })).toMatchObject({ ok: true });

    expect(await asOldSession(removed.user.id, other.id, 0, getOverviewAction)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    // Signing in again (a token with the new version) reaches the tenant they still belong to.
    expect(await asOldSession(removed.user.id, other.id, 1, getOverviewAction)).toMatchObject({ ok: true });
    // The admin who removed them is not affected.
    expect(await asOldSession(admin.user.id, tenant.id, 0, getOverviewAction)).toMatchObject({ ok: true });
  });
});
