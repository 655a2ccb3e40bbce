// Accepting an invitation: whoever opens the link proves they read mail at the
// invited address. They accept signed in with an account of that address, or by
// creating one through the link (verified at once). An unverified account that
// already holds the address was never proven: the link's holder takes it over, with a
// new password, and every session of the old holder ends.
import "server-only";
import { z } from "zod";
import { getDb, type Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { hashLinkToken } from "@/lib/auth/link-tokens";
import { hashPassword } from "@/lib/auth/password";
import { newPasswordSchema } from "@/lib/auth/change-password";
import { bumpSessionVersion } from "@/lib/auth/session-version";
import type { MemberRole } from "@/lib/generated/prisma/enums";

export type OpenInvitation = { id: string; tenantId: string; tenantName: string; email: string; role: MemberRole; expiresAt: Date };

const INVALID = "This invitation link is not valid: it was used, revoked or replaced, or it has expired. Ask for a new one.";

/** The pending, unexpired invitation of a link, or null. */
export async function findOpenInvitation(rawToken: string, now = Date.now()): Promise<OpenInvitation | null> {
  const hash = hashLinkToken(rawToken);
  if (!hash) return null;
  const row = await getDb().invitation.findFirst({
    where: { tokenHash: hash, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date(now) } },
    select: { id: true, tenantId: true, email: true, role: true, expiresAt: true, tenant: { select: { name: true } } },
  });
  return row ? { id: row.id, tenantId: row.tenantId, tenantName: row.tenant.name, email: row.email, role: row.role, expiresAt: row.expiresAt } : null;
}

/** Accepts for a signed-in user whose address is the invited one. */
export async function acceptInvitation(input: { token: string; userId: string; ip?: string | null; now?: number }) {
  const now = input.now ?? Date.now();
  const invitation = await findOpenInvitation(input.token, now);
  if (!invitation) throw new ApiError("not_found", INVALID);
  const user = await getDb().user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
  if (!user || user.email !== invitation.email) {
    throw new ApiError("forbidden", `This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
  }
  return getDb().$transaction(async (tx) => {
    await tx.user.updateMany({ where: { id: user.id, emailVerified: null }, data: { emailVerified: new Date(now) } });
    return join(tx, invitation, user, input.ip ?? null, now);
  });
}

export const signUpWithInvitationSchema = z.object({
  name: z.string().trim().max(100).optional().transform((v) => v || undefined),
  password: newPasswordSchema,
});

/** Creates (or takes over an unverified) account for the invited address and joins. */
export async function signUpWithInvitation(input: { token: string; name?: string; password: string; ip?: string | null; now?: number }) {
  const { name, password } = signUpWithInvitationSchema.parse({ name: input.name, password: input.password });
  const now = input.now ?? Date.now();
  const invitation = await findOpenInvitation(input.token, now);
  if (!invitation) throw new ApiError("not_found", INVALID);
  const passwordHash = await hashPassword(password);
  return getDb().$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true, emailVerified: true } });
    if (existing?.emailVerified) {
      throw new ApiError("conflict", `${invitation.email} already has an account. Sign in with it to accept the invitation.`);
    }
    let userId: string;
    if (existing) {
      await tx.user.update({ where: { id: existing.id }, data: { passwordHash, name: name ?? undefined, emailVerified: new Date(now) } });
      await bumpSessionVersion(tx, existing.id);
      // Accounts of OAuth providers linked by the unproven holder stop working too.
      await tx.account.deleteMany({ where: { userId: existing.id } });
      userId = existing.id;
    } else {
      userId = uuidv7();
      await tx.user.create({ data: { id: userId, email: invitation.email, name: name ?? null, passwordHash, emailVerified: new Date(now) } });
    }
    const joined = await join(tx, invitation, { id: userId, email: invitation.email }, input.ip ?? null, now);
    return { ...joined, email: invitation.email, userId };
  });
}

async function join(tx: Tx, invitation: OpenInvitation, user: { id: string; email: string }, ip: string | null, now: number) {
  // Single use: only the request that flips acceptedAt goes on.
  const { count } = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date(now) } },
    data: { acceptedAt: new Date(now) },
  });
  if (count !== 1) throw new ApiError("not_found", INVALID);
  const membership = await tx.membership.upsert({
    where: { tenantId_userId: { tenantId: invitation.tenantId, userId: user.id } },
    create: { id: uuidv7(), tenantId: invitation.tenantId, userId: user.id, role: invitation.role },
    update: {},
  });
  await recordAuditEvent(tx, {
    tenantId: invitation.tenantId,
    actor: { type: "user", id: user.id, label: user.email, ip },
    action: "member.invitation_accepted",
    targetType: "membership",
    targetId: membership.id,
    metadata: { email: user.email, role: membership.role, invitationId: invitation.id },
  });
  return { tenantId: invitation.tenantId, role: membership.role, membershipId: membership.id };
}
