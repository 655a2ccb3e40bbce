import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { PageHeader } from "../../page-header";
import { StatusBadge } from "@/components/mailboxes/status-badge";
import { MailboxActions } from "./mailbox-actions";
import { MailboxTabs } from "./mailbox-tabs";
import { loadMailbox } from "./load-mailbox";

export default async function MailboxLayout({ params, children }: { params: Promise<{ id: string }>; children: React.ReactNode }) {
  const { id } = await params;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/mailboxes" className="text-slate-600 underline">
          ← Mailboxes
        </Link>
      </p>
      <PageHeader title={mailbox.address} description={mailbox.displayName ?? undefined}>
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={mailbox.status} />
          {hasRole(session.role, "admin") && <MailboxActions mailboxId={mailbox.id} address={mailbox.address} status={mailbox.status} />}
        </div>
      </PageHeader>
      {mailbox.status === "suspended" && (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This mailbox is suspended: it keeps receiving mail, but it cannot send and its keys are refused. Resume it to send again.
        </p>
      )}
      <MailboxTabs mailboxId={mailbox.id} />
      {children}
    </>
  );
}
