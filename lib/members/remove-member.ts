import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { requireRole } from "@/lib/auth/roles";
import { assertAnotherOwnerRemains } from "@/lib/members/owner-guard";
import { bumpSessionVersion } from "@/lib/auth/session-version";
import type { MemberRole } from "@/lib/generated/prisma/enums";

/**
 * Removes a member from the tenant (the user keeps their other tenants); never the
 * last owner. Every session of the removed user ends at once (they sign in again to
 * reach their other tenants).
 */
export async function removeMember(input: { tenantId: string; membershipId: string; actor: Actor; actorRole: MemberRole }) {
  return getDb().$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: input.membershipId, tenantId: input.tenantId },
      select: { id: true, role: true, userId: true, user: { select: { email: true } } },
    });
    if (!membership) throw new ApiError("not_found", "Member not found");
    if (membership.role === "owner") {
      requireRole({ role: input.actorRole }, "owner", "remove an owner");
      await assertAnotherOwnerRemains(tx, input.tenantId, membership.id);
    }
    await tx.membership.deleteMany({ where: { id: membership.id, tenantId: input.tenantId } });
    await bumpSessionVersion(tx, membership.userId);
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.removed",
      targetType: "membership",
      targetId: membership.id,
      metadata: { email: membership.user.email, role: membership.role, userId: membership.userId },
    });
    return membership;
  });
}
