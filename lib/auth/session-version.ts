// Ending sessions: every session JWT carries the user's sessionVersion from the
// moment of sign-in, and resolveSessionContext refuses a token whose version is not
// the user's current one. Bumping the version ends every session of that user at once.
import "server-only";
import { getDb, type Tx } from "@/lib/db";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";

/** A session older than this may not set a password on an OAuth-only account. */
export const FRESH_SIGN_IN_MS = 10 * 60_000;

export async function bumpSessionVersion(tx: Tx, userId: string): Promise<void> {
  await tx.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

export async function currentSessionVersion(userId: string): Promise<number> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user?.sessionVersion ?? 0;
}

/** "Sign out everywhere": ends every session of the user, the current one included. */
export async function signOutEverywhere(input: { userId: string; actor: Actor }): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await bumpSessionVersion(tx, input.userId);
    const memberships = await tx.membership.findMany({ where: { userId: input.userId }, select: { tenantId: true } });
    for (const { tenantId } of memberships) {
      await recordAuditEvent(tx, {
        tenantId,
        actor: input.actor,
        action: "member.signed_out_everywhere",
        targetType: "user",
        targetId: input.userId,
      });
    }
  });
}
