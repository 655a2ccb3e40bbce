// Members join by invitation (SPEC §8): an admin names an address and a role, and a
// single-use link valid for 7 days is mailed to it. Nobody gets a password from an
// admin, and the answer is the same whether or not the address has an account.
import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { MEMBER_ROLES, requireRole } from "@/lib/auth/roles";
import { newLinkToken } from "@/lib/auth/link-tokens";
import { sendSystemEmail } from "@/lib/system-mail/send-system-email";
import type { MemberRole } from "@/lib/generated/prisma/enums";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export const inviteMemberSchema = z.object({
  email: z.email("Enter a valid email address").max(254).transform((v) => v.trim().toLowerCase()),
  role: z.enum(MEMBER_ROLES),
});

type ManageInput = { tenantId: string; actor: Actor; actorRole: MemberRole };

/** Invites an address (replacing a pending invitation of the same address) and mails the link. */
export async function inviteMember(input: ManageInput & { email: string; role: MemberRole; now?: number }) {
  const { email, role } = inviteMemberSchema.parse({ email: input.email, role: input.role });
  if (role === "owner") requireRole({ role: input.actorRole }, "owner", "invite an owner");
  const now = input.now ?? Date.now();
  const db = getDb();
  const member = await db.membership.findFirst({ where: { tenantId: input.tenantId, user: { email } }, select: { id: true } });
  if (member) throw new ApiError("conflict", `${email} is already a member of this tenant.`);
  const { raw, hash } = newLinkToken();
  const invitation = await db.$transaction(async (tx) => {
    await tx.invitation.updateMany({
      where: { tenantId: input.tenantId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date(now) },
    });
    const created = await tx.invitation.create({
      data: {
        id: uuidv7(),
        tenantId: input.tenantId,
        email,
        role,
        tokenHash: hash,
        expiresAt: new Date(now + INVITATION_TTL_MS),
        invitedById: input.actor.type === "user" ? input.actor.id : null,
      },
    });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.invited",
      targetType: "invitation",
      targetId: created.id,
      metadata: { email, role },
    });
    return created;
  });
  await mailInvitation(input.tenantId, email, role, raw, input.actor);
  return { id: invitation.id, email, role, expiresAt: invitation.expiresAt.toISOString() };
}

/** A new link for a pending invitation (the old link stops working), valid 7 days again. */
export async function resendInvitation(input: ManageInput & { invitationId: string; now?: number }) {
  const now = input.now ?? Date.now();
  const { raw, hash } = newLinkToken();
  const invitation = await getDb().$transaction(async (tx) => {
    const found = await tx.invitation.findFirst({
      where: { id: input.invitationId, tenantId: input.tenantId, acceptedAt: null, revokedAt: null },
    });
    if (!found) throw new ApiError("not_found", "Invitation not found (it may have been accepted or revoked)");
    if (found.role === "owner") requireRole({ role: input.actorRole }, "owner", "invite an owner");
    const updated = await tx.invitation.update({
      where: { id: found.id },
      data: { tokenHash: hash, expiresAt: new Date(now + INVITATION_TTL_MS) },
    });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.invitation_resent",
      targetType: "invitation",
      targetId: found.id,
      metadata: { email: found.email, role: found.role },
    });
    return updated;
  });
  await mailInvitation(input.tenantId, invitation.email, invitation.role, raw, input.actor);
  return { id: invitation.id, expiresAt: invitation.expiresAt.toISOString() };
}

export async function revokeInvitation(input: ManageInput & { invitationId: string }) {
  return getDb().$transaction(async (tx) => {
    const found = await tx.invitation.findFirst({
      where: { id: input.invitationId, tenantId: input.tenantId, acceptedAt: null, revokedAt: null },
    });
    if (!found) throw new ApiError("not_found", "Invitation not found (it may have been accepted or revoked)");
    if (found.role === "owner") requireRole({ role: input.actorRole }, "owner", "revoke an owner's invitation");
    await tx.invitation.updateMany({ where: { id: found.id, tenantId: input.tenantId }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.invitation_revoked",
      targetType: "invitation",
      targetId: found.id,
      metadata: { email: found.email, role: found.role },
    });
    return { id: found.id };
  });
}

/** Pending invitations of a tenant (expired ones too, to be resent or revoked). */
export async function listInvitations(input: { tenantId: string }) {
  const rows = await getDb().invitation.findMany({
    where: { tenantId: input.tenantId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    expired: r.expiresAt.getTime() <= now,
  }));
}

export type InvitationListItem = Awaited<ReturnType<typeof listInvitations>>[number];

async function mailInvitation(tenantId: string, email: string, role: MemberRole, rawToken: string, actor: Actor) {
  const tenant = await getDb().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true } });
  const link = `${getEnv().SAIRAPH_PUBLIC_URL}/invite/${rawToken}`;
  const inviter = actor.type === "user" ? actor.label : "An administrator";
  await sendSystemEmail({
    tenantId,
    to: email,
    subject: `You are invited to ${tenant.name} on Sairaph Mail`,
    text:
      `${inviter} invited ${email} to join ${tenant.name} as ${role}.\n\n` +
      `Open this link to accept (it works once, for 7 days). Sign in with this address, or create an account for it:\n\n${link}\n`,
  });
}
