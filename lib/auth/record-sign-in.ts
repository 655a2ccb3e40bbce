import "server-only";
import { getDb } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/record-event";

/** Writes `member.signed_in` into the audit log of every tenant the user belongs to. */
export async function recordSignIn(input: { userId: string; ip: string | null; method: string }): Promise<void> {
  const db = getDb();
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, email: true, memberships: { select: { tenantId: true } } },
    });
    if (!user) return;
    for (const { tenantId } of user.memberships) {
      await recordAuditEvent(tx, {
        tenantId,
        actor: { type: "user", id: user.id, label: user.email, ip: input.ip },
        action: "member.signed_in",
        targetType: "user",
        targetId: user.id,
        metadata: { method: input.method },
      });
    }
  });
}
