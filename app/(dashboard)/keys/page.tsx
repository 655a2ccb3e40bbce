import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { listKeys } from "@/lib/keys/list-keys";
import { DEFAULT_REQUESTS_PER_MINUTE, EXPIRY_PRESETS_DAYS } from "@/lib/keys/issue-key";
import { PageHeader } from "../page-header";
import { KeyCreator } from "@/components/keys/key-creator";
import { KeyTable } from "@/components/keys/key-table";
import { cardClass } from "@/components/ui/styles";

export const metadata = { title: "API keys · Sairaph Mail" };

export default async function KeysPage() {
  const session = await getPageSession();
  const canManage = hasRole(session.role, "admin");
  const [keys, mailboxes] = await Promise.all([
    listKeys({ tenantId: session.tenant.id, kind: "mailbox" }),
    canManage
      ? getDb().mailbox.findMany({
          where: { tenantId: session.tenant.id, status: { not: "deleted" } },
          orderBy: { address: "asc" },
          select: { id: true, address: true },
          take: 1000,
        })
      : Promise.resolve([]),
  ]);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Mailbox keys (sm_live_…) each reach exactly one mailbox. Give each customer's agent its own key."
      />
      <div className="flex flex-col gap-6">
        {canManage && (
          <KeyCreator
            kind="mailbox"
            mailboxes={mailboxes}
            expiryPresetsDays={EXPIRY_PRESETS_DAYS}
            defaultRequestsPerMinute={DEFAULT_REQUESTS_PER_MINUTE}
          />
        )}
        <section className={cardClass} aria-labelledby="key-list-heading">
          <h2 id="key-list-heading" className="mb-4 text-base font-semibold">
            Mailbox keys
          </h2>
          <KeyTable keys={keys} canManage={canManage} showMailbox emptyText="No mailbox keys yet." />
        </section>
      </div>
    </>
  );
}
