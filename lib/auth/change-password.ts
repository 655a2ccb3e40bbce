import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from "@/lib/auth/password";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

/**
 * Replaces a user's password (a temporary one handed over by an admin, typically).
 * The current password is required when one is set; an OAuth-only user may set one.
 */
export async function changePassword(input: { userId: string; currentPassword: string; newPassword: string; actor: Actor }) {
  const newPassword = newPasswordSchema.parse(input.newPassword);
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, passwordHash: true } });
  if (!user) throw new ApiError("not_found", "User not found");
  if (user.passwordHash && !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ApiError("forbidden", "Your current password is not correct.");
  }
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const memberships = await tx.membership.findMany({ where: { userId: user.id }, select: { tenantId: true } });
    for (const { tenantId } of memberships) {
      await recordAuditEvent(tx, {
        tenantId,
        actor: input.actor,
        action: "member.password_changed",
        targetType: "user",
        targetId: user.id,
      });
    }
  });
}
