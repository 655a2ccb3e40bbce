import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listMailboxesWithKeyCounts } from "@/lib/mailboxes/list-mailboxes-with-keys";
import { listDomains } from "@/lib/domains/list-domains";
import { PageHeader } from "../page-header";
import { MailboxesPanel } from "./mailboxes-panel";

export const metadata = { title: "Mailboxes · Sairaph Mail" };

export default async function MailboxesPage() {
  const session = await getPageSession();
  const [initial, domains] = await Promise.all([
    listMailboxesWithKeyCounts({ tenantId: session.tenant.id, limit: 25 }),
    listDomains({ tenantId: session.tenant.id }),
  ]);
  return (
    <>
      <PageHeader title="Mailboxes" description="One mailbox per end-customer, each with its own encryption key, limits and API keys." />
      <MailboxesPanel
        tenantId={session.tenant.id}
        initial={initial}
        domains={domains.map((d) => d.name)}
        canManage={hasRole(session.role, "admin")}
      />
    </>
  );
}
