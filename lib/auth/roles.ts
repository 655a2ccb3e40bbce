// Member roles: owner > admin > viewer. Shared by the session wrapper and lib functions.
import { ApiError } from "@/lib/errors";
import type { MemberRole } from "@/lib/generated/prisma/enums";

export const MEMBER_ROLES = ["owner", "admin", "viewer"] as const satisfies readonly MemberRole[];

const ROLE_RANK: Record<MemberRole, number> = { viewer: 0, admin: 1, owner: 2 };

export function hasRole(role: MemberRole, minimum: MemberRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** Throws 403 with a message that names what the role may not do. */
export function requireRole(context: { role: MemberRole }, minimum: MemberRole, action = "do this"): void {
  if (!hasRole(context.role, minimum)) {
    const needed = minimum === "owner" ? "an owner" : minimum === "admin" ? "an owner or admin" : "a member";
    throw new ApiError("forbidden", `Only ${needed} can ${action}; your role in this tenant is ${context.role}.`);
  }
}
