"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { MEMBER_ROLES } from "@/lib/auth/roles";
import { addMember } from "@/lib/members/add-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { removeMember } from "@/lib/members/remove-member";

// Add a member; a new user's temporary password is returned once, to be handed over.
export async function addMemberAction(raw: { email: string; role: string }) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = z.object({ email: z.string(), role: z.enum(MEMBER_ROLES) }).parse(raw);
    const { membership, temporaryPassword } = await addMember({
      tenantId: session.tenant.id,
      actor: session.actor,
      actorRole: session.role,
      ...input,
    });
    return { id: membership.id, temporaryPassword };
  });
}

const changeSchema = z.object({ membershipId: z.string().min(1), role: z.enum(MEMBER_ROLES) });

export async function changeMemberRoleAction(raw: z.input<typeof changeSchema>) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = changeSchema.parse(raw);
    const membership = await changeMemberRole({ tenantId: session.tenant.id, actor: session.actor, actorRole: session.role, ...input });
    return { id: membership.id, role: membership.role };
  });
}

const removeSchema = z.object({ membershipId: z.string().min(1) });

export async function removeMemberAction(raw: z.input<typeof removeSchema>) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = removeSchema.parse(raw);
    const membership = await removeMember({ tenantId: session.tenant.id, actor: session.actor, actorRole: session.role, ...input });
    return { id: membership.id };
  });
}
