import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listKeys } from "@/lib/keys/list-keys";
import { DEFAULT_REQUESTS_PER_MINUTE, EXPIRY_PRESETS_DAYS } from "@/lib/keys/issue-key";
import { PageHeader } from "../page-header";
import { KeyCreator } from "@/components/keys/key-creator";
import { KeyTable } from "@/components/keys/key-table";
import { cardClass } from "@/components/ui/styles";

export const metadata = { title: "Management keys · Sairaph Mail" };

export default async function ManagementKeysPage() {
  const session = await getPageSession();
  const canManage = hasRole(session.role, "admin");
  const keys = await listKeys({ tenantId: session.tenant.id, kind: "tenant" });
  return (
    <>
      <PageHeader
        title="Management keys"
        description="Management keys (sm_mgmt_…) act on every mailbox of this tenant: create, suspend and delete mailboxes, and use any mailbox. Keep them on your servers, never in an agent."
      />
      <div className="flex flex-col gap-6">
        {canManage && (
          <KeyCreator kind="tenant" expiryPresetsDays={EXPIRY_PRESETS_DAYS} defaultRequestsPerMinute={DEFAULT_REQUESTS_PER_MINUTE} />
        )}
        <section className={cardClass} aria-labelledby="mgmt-key-list-heading">
          <h2 id="mgmt-key-list-heading" className="mb-4 text-base font-semibold">
            Management keys
          </h2>
          <KeyTable keys={keys} canManage={canManage} showMailbox={false} emptyText="No management keys yet." />
        </section>
      </div>
    </>
  );
}
