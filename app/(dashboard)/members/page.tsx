import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listMembers } from "@/lib/members/list-members";
import { listInvitations } from "@/lib/members/invite-member";
import { PageHeader } from "../page-header";
import { MembersPanel } from "./members-panel";

export const metadata = { title: "Members · Sairaph Mail" };

export default async function MembersPage() {
  const session = await getPageSession();
  const [members, invitations] = await Promise.all([listMembers({ tenantId: session.tenant.id }), listInvitations({ tenantId: session.tenant.id })]);
  return (
    <>
      <PageHeader
        title="Members"
        description="Owners and admins manage mailboxes, keys, domains and members; viewers see everything but change nothing. Only owners grant or take away the owner role, and a tenant always keeps one owner. People join by accepting an invitation sent to their address."
      />
      <MembersPanel
        members={members}
        invitations={invitations}
        canManage={hasRole(session.role, "admin")}
        isOwner={session.role === "owner"}
        currentUserId={session.user.id}
      />
    </>
  );
}
