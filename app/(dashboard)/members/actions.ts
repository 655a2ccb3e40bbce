"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { MEMBER_ROLES } from "@/lib/auth/roles";
import { inviteMember, resendInvitation, revokeInvitation } from "@/lib/members/invite-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { removeMember } from "@/lib/members/remove-member";

// Invite an address with a role: the link is mailed; the answer is the same for any address.
export async function inviteMemberAction(raw: { email: string; role: string }) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = z.object({ email: z.string(), role: z.enum(MEMBER_ROLES) }).parse(raw);
    return inviteMember({ tenantId: session.tenant.id, actor: session.actor, actorRole: session.role, ...input });
  });
}

const invitationSchema = z.object({ invitationId: z.string().min(1).max(100) });

// Mail a pending invitation again, with a new link.
export async function resendInvitationAction(raw: z.input<typeof invitationSchema>) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = invitationSchema.parse(raw);
    return resendInvitation({ tenantId: session.tenant.id, actor: session.actor, actorRole: session.role, ...input });
  });
}

// Revoke a pending invitation: its link stops working.
export async function revokeInvitationAction(raw: z.input<typeof invitationSchema>) {
  return runSessionAction({ role: "admin", action: "manage members" }, async (session) => {
    const input = invitationSchema.parse(raw);
    return revokeInvitation({ tenantId: session.tenant.id, actor: session.actor, actorRole: session.role, ...input });
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
