// Accounts belong to whoever owns the address (issue #11 item 2, item 8): sign-up
// verification, invitations instead of temporary passwords, and answers that do not
// reveal which addresses have accounts.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { resolveSessionContext } from "@/lib/auth/resolve-session";
import { signUp } from "@/lib/auth/sign-up";
import { verifyEmail } from "@/lib/auth/email-verification";
import { acceptInvitation, signUpWithInvitation } from "@/lib/members/accept-invitation";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";
import { inviteMemberAction, resendInvitationAction, revokeInvitationAction } from "@/app/(dashboard)/members/actions";
import { signUpAction } from "@/app/(auth)/sign-up/actions";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
// The sign-up action names next-auth's error class; signing in itself is faked above.
vi.mock("next-auth", () => ({ CredentialsSignin: class CredentialsSignin extends Error {} }));
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

const PASSWORD = "a long enough password";

async function verifiedMember(tenantId: string, role: MemberRole) {
  const email = `${role}-${uuidv7()}@example.test`;
  const user = await getDb().user.create({ data: { id: uuidv7(), email, emailVerified: new Date(), passwordHash: await hashPassword(PASSWORD) } });
  const membership = await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return { user, membership, email };
}

/** The newest system mail to an address, and the token of the link in it. */
async function lastMailTo(to: string, linkPath: "/invite/" | "/verify-email?token=") {
  const mail = await getDb().systemEmail.findFirstOrThrow({ where: { to }, orderBy: { id: "desc" } });
  const at = mail.text!.indexOf(linkPath);
  return { mail, token: at < 0 ? null : mail.text!.slice(at + linkPath.length, at + linkPath.length + 43) };
}

/** The tenants a session of this user (current session version) reaches. */
async function reachable(userId: string) {
  const user = await getDb().user.findUniqueOrThrow({ where: { id: userId } });
  const resolution = await resolveSessionContext({ userId, sessionVersion: user.sessionVersion });
  if (resolution.status !== "ok") return [];
  return resolution.context.memberships.map((m) => ({ tenantId: m.tenantId, role: m.role }));
}

let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let admin: Awaited<ReturnType<typeof verifiedMember>>;

beforeEach(async () => {
  tenant = await createTestTenant();
  admin = await verifiedMember(tenant.id, "admin");
  signInAs(admin.user.id, tenant.id);
});

describe("sign-up", () => {
  it("creates an unverified account that reaches its own tenant, and mails a single-use link that verifies it", async () => {
    const email = `new-${uuidv7()}@example.test`;
    expect(await signUp({ email, password: PASSWORD, tenantName: "Own Co" })).toEqual({ email, signInNow: false });
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).toBeNull();
    const own = await reachable(user.id);
    expect(own).toHaveLength(1);
    expect(own[0].role).toBe("owner");

    const { mail, token } = await lastMailTo(email, "/verify-email?token=");
    expect(mail.subject).toMatch(/verify/i);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    expect(JSON.stringify(await getDb().verificationToken.findMany())).not.toContain(token!);

    expect(await verifyEmail("x".repeat(43))).toBeNull();
    expect(await verifyEmail(token!)).toEqual({ email });
    expect((await getDb().user.findUniqueOrThrow({ where: { email } })).emailVerified).not.toBeNull();
    expect(await verifyEmail(token!)).toBeNull();
  });

  it("refuses an expired verification link", async () => {
    const email = `late-${uuidv7()}@example.test`;
    await signUp({ email, password: PASSWORD, tenantName: "Late Co" });
    const { token } = await lastMailTo(email, "/verify-email?token=");
    expect(await verifyEmail(token!, Date.now() + 25 * 60 * 60_000)).toBeNull();
    expect((await getDb().user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeNull();
  });

  it("answers an existing address exactly like a new one, creates nothing and mails the owner a notice", async () => {
    const before = { users: await getDb().user.count(), tenants: await getDb().tenant.count() };
    const fresh = await signUp({ email: `fresh-${uuidv7()}@example.test`, password: PASSWORD, tenantName: "Fresh" });
    const taken = await signUp({ email: admin.email.toUpperCase(), password: "the attacker's password", tenantName: "Squat" });
    expect(Object.keys(taken).sort()).toEqual(Object.keys(fresh).sort());
    expect(taken).toEqual({ email: admin.email, signInNow: false });
    expect(await getDb().user.count()).toBe(before.users + 1);
    expect(await getDb().tenant.count()).toBe(before.tenants + 1);
    // No access: the attacker's password does not sign in, the owner's tenants are unchanged.
    expect((await authenticateWithPassword({ email: admin.email, password: "the attacker's password", ip: null })).outcome).toBe("invalid");
    expect(await reachable(admin.user.id)).toEqual([{ tenantId: tenant.id, role: "admin" }]);
    const { mail, token } = await lastMailTo(admin.email, "/verify-email?token=");
    expect(mail.subject).toMatch(/tried to create/);
    expect(token).toBeNull();
  });
});

describe("the sign-up form", () => {
  it("shows the same answer for a new address and for one that has an account", async () => {
    const form = (email: string) => {
      const data = new FormData();
      for (const [k, v] of Object.entries({ name: "", email, password: PASSWORD, tenantName: "Same Answer" })) data.set(k, v);
      return data;
    };
    const empty = { error: null, sentTo: null, values: { name: "", email: "", tenantName: "" } };
    const fresh = `fresh-${uuidv7()}@example.test`;
    const answerNew = await signUpAction(empty, form(fresh));
    const answerTaken = await signUpAction(empty, form(admin.email));
    expect(answerNew).toEqual({ error: null, sentTo: fresh, values: { name: "", email: fresh, tenantName: "Same Answer" } });
    expect(answerTaken).toEqual({ error: null, sentTo: admin.email, values: { name: "", email: admin.email, tenantName: "Same Answer" } });
    expect(await getDb().tenant.count({ where: { name: "Same Answer" } })).toBe(1);
  });
});

describe("invitations", () => {
  it("answers the same for an address with and without an account, and creates no user or membership", async () => {
    const elsewhere = await verifiedMember((await createTestTenant()).id, "owner");
    const newcomer = `newcomer-${uuidv7()}@example.test`;
    const a = await inviteMemberAction({ email: newcomer.toUpperCase(), role: "viewer" });
    const b = await inviteMemberAction({ email: elsewhere.email, role: "viewer" });
    if (!a.ok || !b.ok) throw new Error("invitation refused");
    expect(Object.keys(a.data).sort()).toEqual(Object.keys(b.data).sort());
    expect(a.data).toMatchObject({ email: newcomer, role: "viewer" });
    expect(await getDb().user.count({ where: { email: newcomer } })).toBe(0);
    expect(await getDb().membership.count({ where: { tenantId: tenant.id, userId: elsewhere.user.id } })).toBe(0);
    for (const to of [newcomer, elsewhere.email]) {
      const { mail, token } = await lastMailTo(to, "/invite/");
      expect(mail.tenantId).toBe(tenant.id);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(await getDb().invitation.findMany())).not.toContain(token!);
    }
    const audit = await getDb().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.invited" } });
    expect(audit.map((e) => (e.metadata as { email: string }).email).sort()).toEqual([elsewhere.email, newcomer].sort());
  });

  it("an unverified account with the address reaches no invited tenant; the link's holder takes the address over", async () => {
    // An attacker signs up first as the address the victim's admin will invite.
    const target = `cfo-${uuidv7()}@example.test`;
    await signUp({ email: target, password: "the attacker's password", tenantName: "Attacker Co" });
    const squatter = await getDb().user.findUniqueOrThrow({ where: { email: target } });
    const invited = await inviteMemberAction({ email: target, role: "admin" });
    expect(invited.ok).toBe(true);
    expect((await reachable(squatter.id)).map((m) => m.tenantId)).not.toContain(tenant.id);
    // Even a membership row (however it got there) is not reachable while unverified.
    await getDb().membership.create({ data: { id: uuidv7(), tenantId: tenant.id, userId: squatter.id, role: "viewer" } });
    expect((await reachable(squatter.id)).map((m) => m.tenantId)).not.toContain(tenant.id);
    await getDb().membership.deleteMany({ where: { tenantId: tenant.id, userId: squatter.id } });
    // Accepting needs the emailed link.
    await expect(acceptInvitation({ token: "A".repeat(43), userId: squatter.id })).rejects.toMatchObject({ code: "not_found" });

    // The real owner of the address opens the link and signs up through it.
    const { token } = await lastMailTo(target, "/invite/");
    const joined = await signUpWithInvitation({ token: token!, password: "the owner's own password" });
    expect(joined).toMatchObject({ tenantId: tenant.id, role: "admin", userId: squatter.id });
    expect((await authenticateWithPassword({ email: target, password: "the attacker's password", ip: null })).outcome).toBe("invalid");
    expect((await authenticateWithPassword({ email: target, password: "the owner's own password", ip: null })).outcome).toBe("ok");
    const after = await getDb().user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(after.emailVerified).not.toBeNull();
    // The attacker's session (the old version) is over.
    expect((await resolveSessionContext({ userId: squatter.id, sessionVersion: squatter.sessionVersion })).status).toBe("signed_out");
  });

  it("accepting through the link binds the invited role, once", async () => {
    const email = `joiner-${uuidv7()}@example.test`;
    await inviteMemberAction({ email, role: "admin" });
    const { token } = await lastMailTo(email, "/invite/");
    const joined = await signUpWithInvitation({ token: token!, name: "Jo", password: PASSWORD });
    expect(joined).toMatchObject({ tenantId: tenant.id, role: "admin", email });
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).not.toBeNull();
    expect(await reachable(user.id)).toEqual([{ tenantId: tenant.id, role: "admin" }]);
    await expect(signUpWithInvitation({ token: token!, password: PASSWORD })).rejects.toMatchObject({ code: "not_found" });
    await expect(acceptInvitation({ token: token!, userId: user.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await getDb().auditEvent.count({ where: { tenantId: tenant.id, action: "member.invitation_accepted", targetId: joined.membershipId } })).toBe(1);
  });

  it("a signed-in account of the address accepts; another account cannot; a verified address cannot be signed up again", async () => {
    const invitee = await verifiedMember((await createTestTenant()).id, "owner");
    const stranger = await verifiedMember((await createTestTenant()).id, "owner");
    await inviteMemberAction({ email: invitee.email, role: "viewer" });
    const { token } = await lastMailTo(invitee.email, "/invite/");
    await expect(acceptInvitation({ token: token!, userId: stranger.user.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(signUpWithInvitation({ token: token!, password: PASSWORD })).rejects.toMatchObject({ code: "conflict" });
    expect(await acceptInvitation({ token: token!, userId: invitee.user.id })).toMatchObject({ tenantId: tenant.id, role: "viewer" });
    expect((await reachable(invitee.user.id)).find((m) => m.tenantId === tenant.id)?.role).toBe("viewer");
    expect((await reachable(stranger.user.id)).map((m) => m.tenantId)).not.toContain(tenant.id);
  });

  it("resend replaces the link, revoke ends it, an expired link is refused; all audited", async () => {
    const email = `pending-${uuidv7()}@example.test`;
    const invited = await inviteMemberAction({ email, role: "viewer" });
    if (!invited.ok) throw new Error(invited.error.message);
    const first = (await lastMailTo(email, "/invite/")).token!;
    expect(await resendInvitationAction({ invitationId: invited.data.id })).toMatchObject({ ok: true });
    const second = (await lastMailTo(email, "/invite/")).token!;
    expect(second).not.toBe(first);
    await expect(signUpWithInvitation({ token: first, password: PASSWORD })).rejects.toMatchObject({ code: "not_found" });
    await expect(signUpWithInvitation({ token: second, password: PASSWORD, now: Date.now() + 8 * 24 * 60 * 60_000 })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await revokeInvitationAction({ invitationId: invited.data.id })).toMatchObject({ ok: true });
    await expect(signUpWithInvitation({ token: second, password: PASSWORD })).rejects.toMatchObject({ code: "not_found" });
    expect(await getDb().user.count({ where: { email } })).toBe(0);
    const actions = (await getDb().auditEvent.findMany({ where: { tenantId: tenant.id, targetId: invited.data.id } })).map((e) => e.action);
    expect(actions.sort()).toEqual(["member.invitation_resent", "member.invitation_revoked", "member.invited"]);
  });

  it("only an owner invites an owner, and a viewer invites nobody", async () => {
    expect(await inviteMemberAction({ email: "boss@example.test", role: "owner" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const viewer = await verifiedMember(tenant.id, "viewer");
    signInAs(viewer.user.id, tenant.id);
    expect(await inviteMemberAction({ email: "friend@example.test", role: "viewer" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await getDb().invitation.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});
