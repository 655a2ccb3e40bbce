import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from "@/lib/auth/password";
import { releaseSignInAttempt, reserveSignInAttempt } from "@/lib/auth/sign-in-throttle";
import { bumpSessionVersion, FRESH_SIGN_IN_MS } from "@/lib/auth/session-version";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Use at most 200 characters");

/**
 * Replaces a user's password and ends every session of the user (sessionVersion is
 * bumped; the caller may sign the current browser in again with the new password).
 * The current password is required when one is set, and its check counts against the
 * same throttle as sign-in; an OAuth-only user may set one only within
 * FRESH_SIGN_IN_MS of signing in, so a session left open cannot add a password.
 */
export async function changePassword(input: {
  userId: string;
  currentPassword: string;
  newPassword: string;
  actor: Actor;
  ip: string | null;
  /** When the current session signed in (ms since the epoch), null when unknown. */
  signedInAt: number | null;
  now?: number;
}) {
  const newPassword = newPasswordSchema.parse(input.newPassword);
  const now = input.now ?? Date.now();
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) throw new ApiError("not_found", "User not found");
  if (user.passwordHash) {
    const attempt = { email: user.email, ip: input.ip };
    const verdict = await reserveSignInAttempt(attempt, now);
    if (!verdict.allowed) {
      throw new ApiError("rate_limited", "Too many wrong passwords. Wait a little, then try again: the wait grows with each failure.", {}, {
        "Retry-After": String(verdict.retryAfterSeconds),
      });
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new ApiError("forbidden", "Your current password is not correct.");
    }
    await releaseSignInAttempt(attempt, now);
  } else if (input.signedInAt === null || now - input.signedInAt > FRESH_SIGN_IN_MS) {
    throw new ApiError("forbidden", "To set a password, sign out and sign in again first (within the last 10 minutes).");
  }
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await bumpSessionVersion(tx, user.id);
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
  return { email: user.email };
}
