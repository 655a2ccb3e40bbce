import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { requireRole } from "@/lib/auth/roles";
import { assertAnotherOwnerRemains } from "@/lib/members/owner-guard";
import type { MemberRole } from "@/lib/generated/prisma/enums";

/** Changes a member's role; owner-level changes need an owner, and the last owner stays one. */
export async function changeMemberRole(input: {
  tenantId: string;
  membershipId: string;
  role: MemberRole;
  actor: Actor;
  actorRole: MemberRole;
}) {
  return getDb().$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: input.membershipId, tenantId: input.tenantId },
      select: { id: true, role: true, user: { select: { email: true } } },
    });
    if (!membership) throw new ApiError("not_found", "Member not found");
    if (membership.role === input.role) return membership;
    if (membership.role === "owner" || input.role === "owner") {
      requireRole({ role: input.actorRole }, "owner", "grant or take away the owner role");
    }
    if (membership.role === "owner") await assertAnotherOwnerRemains(tx, input.tenantId, membership.id);
    await tx.membership.updateMany({ where: { id: membership.id, tenantId: input.tenantId }, data: { role: input.role } });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.role_changed",
      targetType: "membership",
      targetId: membership.id,
      metadata: { email: membership.user.email, from: membership.role, to: input.role },
    });
    return { ...membership, role: input.role };
  });
}
