import Link from "next/link";
import { notFound } from "next/navigation";
import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { isUuid } from "@/lib/ids";
import { getMailboxDetails } from "@/lib/mailboxes/get-mailbox-details";
import { listKeys } from "@/lib/keys/list-keys";
import { DEFAULT_REQUESTS_PER_MINUTE, EXPIRY_PRESETS_DAYS } from "@/lib/keys/issue-key";
import { PageHeader } from "../../page-header";
import { KeyCreator } from "@/components/keys/key-creator";
import { KeyTable } from "@/components/keys/key-table";
import { StatusBadge } from "@/components/mailboxes/status-badge";
import { MailboxActions } from "./mailbox-actions";
import { MessagesSection } from "./messages-section";
import { MailboxSettingsForm } from "./mailbox-settings-form";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Mailbox · Sairaph Mail" };

export default async function MailboxPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ thread?: string }>;
}) {
  const { id } = await params;
  const { thread } = await searchParams;
  const session = await getPageSession();
  // Another tenant's mailbox id is simply not found.
  const mailbox = isUuid(id) ? await getMailboxDetails({ tenantId: session.tenant.id, mailboxId: id }) : null;
  if (!mailbox) notFound();
  const canManage = hasRole(session.role, "admin");
  const keys = await listKeys({ tenantId: session.tenant.id, kind: "mailbox", mailboxId: mailbox.id });
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/mailboxes" className="text-slate-600 underline">
          ← Mailboxes
        </Link>
      </p>
      <PageHeader title={mailbox.address} description={mailbox.displayName ?? undefined}>
        {canManage && <MailboxActions mailboxId={mailbox.id} address={mailbox.address} status={mailbox.status} />}
      </PageHeader>
      <div className="flex flex-col gap-6">
        <section className={cardClass} aria-labelledby="mailbox-facts-heading">
          <h2 id="mailbox-facts-heading" className="mb-3 text-base font-semibold">
            Details
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
            <Fact term="Address" value={mailbox.address} />
            <Fact term="Status" value={<StatusBadge status={mailbox.status} />} />
            <Fact term="Client ref" value={mailbox.clientRef ?? "–"} />
            <Fact term="Sending limit per minute" value={String(mailbox.sendPerMinute)} />
            <Fact term="Sending limit per day" value={String(mailbox.sendPerDay)} />
            <Fact term="Created" value={formatDateTime(mailbox.createdAt)} />
          </dl>
        </section>
        {canManage && (
          <MailboxSettingsForm
            mailboxId={mailbox.id}
            displayName={mailbox.displayName}
            sendPerMinute={mailbox.sendPerMinute}
            sendPerDay={mailbox.sendPerDay}
            caps={mailbox.tenant}
          />
        )}
        <MessagesSection tenantId={session.tenant.id} mailboxId={mailbox.id} threadId={typeof thread === "string" ? thread : undefined} />
        {canManage && (
          <KeyCreator
            kind="mailbox"
            fixedMailbox={{ id: mailbox.id, address: mailbox.address }}
            expiryPresetsDays={EXPIRY_PRESETS_DAYS}
            defaultRequestsPerMinute={DEFAULT_REQUESTS_PER_MINUTE}
          />
        )}
        <section className={cardClass} aria-labelledby="mailbox-keys-heading">
          <h2 id="mailbox-keys-heading" className="mb-4 text-base font-semibold">
            Keys of this mailbox
          </h2>
          <KeyTable keys={keys} canManage={canManage} showMailbox={false} emptyText="This mailbox has no keys yet." />
        </section>
      </div>
    </>
  );
}

function Fact({ term, value }: { term: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="text-slate-500">{term}</dt>
      <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
    </div>
  );
}
