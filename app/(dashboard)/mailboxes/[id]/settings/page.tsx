import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listKeys } from "@/lib/keys/list-keys";
import { DEFAULT_REQUESTS_PER_MINUTE, EXPIRY_PRESETS_DAYS } from "@/lib/keys/issue-key";
import { KeyCreator } from "@/components/keys/key-creator";
import { KeyTable } from "@/components/keys/key-table";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { MailboxSettingsForm } from "../mailbox-settings-form";
import { loadMailbox } from "../load-mailbox";
import { ListsSection } from "../lists-section";

export const metadata = { title: "Mailbox settings · Sairaph Mail" };

const SEND_POLICY_LABELS = { open: "Open", approval: "Every send waits for approval", approval_new_recipients: "New recipients wait for approval" } as const;

export default async function MailboxSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  const canManage = hasRole(session.role, "admin");
  const keys = await listKeys({ tenantId: session.tenant.id, kind: "mailbox", mailboxId: mailbox.id });
  return (
    <div className="flex flex-col gap-6">
      <section className={cardClass} aria-labelledby="mailbox-facts-heading">
        <h2 id="mailbox-facts-heading" className="mb-3 text-base font-semibold">
          Details
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
          <Fact term="Address" value={mailbox.address} />
          <Fact term="Client ref" value={mailbox.clientRef ?? "–"} />
          <Fact term="Created" value={formatDateTime(mailbox.createdAt)} />
          <Fact term="Sending limit per minute" value={String(mailbox.sendPerMinute)} />
          <Fact term="Sending limit per day" value={String(mailbox.sendPerDay)} />
          <Fact term="Send policy" value={SEND_POLICY_LABELS[mailbox.sendPolicy]} />
          <Fact term="Domain" value={mailbox.domain.isDev ? `${mailbox.domain.name} (development)` : mailbox.domain.name} />
        </dl>
      </section>
      {canManage && (
        <MailboxSettingsForm
          mailboxId={mailbox.id}
          displayName={mailbox.displayName}
          sendPerMinute={mailbox.sendPerMinute}
          sendPerDay={mailbox.sendPerDay}
          sendPolicy={mailbox.sendPolicy}
          caps={mailbox.tenant}
        />
      )}
      <ListsSection tenantId={session.tenant.id} mailboxId={mailbox.id} canManage={canManage} />
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
        <KeyTable
          keys={keys}
          canManage={canManage}
          showMailbox={false}
          emptyText={canManage ? "This mailbox has no keys yet. Create one above to let your agent use it." : "This mailbox has no keys yet."}
        />
      </section>
    </div>
  );
}

function Fact({ term, value }: { term: string; value: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-500">{term}</dt>
      <dd className="mt-0.5 font-medium text-slate-900 [overflow-wrap:anywhere]">{value}</dd>
    </div>
  );
}
