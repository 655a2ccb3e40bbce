import { getTenantSending } from "@/lib/guardrails/sending-switch";
import { getPageSession } from "@/lib/http/with-session";
import { PageHeader } from "../page-header";
import { SendingSwitch } from "./sending-switch";
import { TenantListsSection } from "./tenant-lists-section";
import { hasRole } from "@/lib/auth/roles";
import { cardClass } from "@/components/ui/styles";

export const metadata = { title: "Guardrails · Sairaph Mail" };

export default async function GuardrailsPage() {
  const session = await getPageSession();
  const tenant = await getTenantSending(session.tenant.id);
  return (
    <>
      <PageHeader title="Guardrails" description="How far this tenant's agents may act alone." />
      <section className={cardClass} aria-labelledby="kill-switch-heading">
        <h2 id="kill-switch-heading" className="text-base font-semibold">
          Kill switch
        </h2>
        <p className="mt-1 mb-3 text-sm text-slate-600">
          Stops all sending of every mailbox at once, whatever key asks. Also available as <code>PATCH /api/v1/tenant</code> with a
          management key.
        </p>
        <SendingSwitch sending={tenant.sending} canChange={session.role === "owner"} />
      </section>
      <div className="mt-6">
        <TenantListsSection tenantId={session.tenant.id} canManage={hasRole(session.role, "admin")} />
      </div>
    </>
  );
}
