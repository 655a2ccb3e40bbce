import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError, isUniqueViolation } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { hashPassword } from "@/lib/auth/password";
import { MEMBER_ROLES, requireRole } from "@/lib/auth/roles";
import type { MemberRole } from "@/lib/generated/prisma/enums";

export const addMemberSchema = z.object({
  email: z.email("Enter a valid email address").max(254).transform((v) => v.trim().toLowerCase()),
  role: z.enum(MEMBER_ROLES),
});

/**
 * Adds a person to the tenant. An unknown address gets a new user with a one-time
 * temporary password, returned once to be handed over; only its hash is stored.
 * Only an owner may make someone an owner.
 */
export async function addMember(input: {
  tenantId: string;
  email: string;
  role: MemberRole;
  actor: Actor;
  actorRole: MemberRole;
}) {
  const { email, role } = addMemberSchema.parse({ email: input.email, role: input.role });
  if (role === "owner") requireRole({ role: input.actorRole }, "owner", "add an owner");
  const db = getDb();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  const temporaryPassword = existing ? null : randomBytes(12).toString("base64url");
  const passwordHash = temporaryPassword ? await hashPassword(temporaryPassword) : null;
  try {
    const membership = await db.$transaction(async (tx) => {
      const userId = existing?.id ?? uuidv7();
      if (!existing) await tx.user.create({ data: { id: userId, email, passwordHash, emailVerified: new Date() } });
      const created = await tx.membership.create({ data: { id: uuidv7(), tenantId: input.tenantId, userId, role } });
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "member.added",
        targetType: "membership",
        targetId: created.id,
        metadata: { email, role, newUser: !existing },
      });
      return created;
    });
    return { membership, temporaryPassword };
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `${email} is already a member of this tenant.`);
    throw err;
  }
}
