import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listDomains } from "@/lib/domains/list-domains";
import { PageHeader } from "../page-header";
import { AddDomainForm } from "./add-domain-form";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";

export const metadata = { title: "Domains · Sairaph Mail" };

export default async function DomainsPage() {
  const session = await getPageSession();
  const domains = await listDomains({ tenantId: session.tenant.id });
  return (
    <>
      <PageHeader
        title="Domains"
        description="Mailboxes live on these domains. Publish the DNS records shown for a domain at your DNS host to verify it."
      />
      <div className="flex flex-col gap-6">
        {hasRole(session.role, "admin") && <AddDomainForm />}
        {domains.map((domain) => (
          <section key={domain.id} className={cardClass} aria-labelledby={`domain-${domain.id}`} data-testid="domain-card">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id={`domain-${domain.id}`} className="font-mono text-base font-semibold">
                {domain.name}
              </h2>
              <span className="flex gap-2">
                {domain.isDev && (
                  <span className="rounded-full border border-slate-200 bg-slate-50 px-2 py-0.5 text-xs">development domain</span>
                )}
                <span
                  className={`rounded-full border px-2 py-0.5 text-xs font-medium ${
                    domain.status === "verified"
                      ? "border-emerald-200 bg-emerald-50 text-emerald-800"
                      : domain.status === "failed"
                        ? "border-red-200 bg-red-50 text-red-800"
                        : "border-amber-200 bg-amber-50 text-amber-800"
                  }`}
                >
                  {domain.status}
                </span>
              </span>
            </div>
            {domain.dnsRecords.length > 0 ? (
              <div className="mt-4 overflow-x-auto">
                <table className={tableClass}>
                  <caption className="sr-only">DNS records for {domain.name}</caption>
                  <thead>
                    <tr>
                      <th className={thClass}>Type</th>
                      <th className={thClass}>Name</th>
                      <th className={thClass}>Value</th>
                      <th className={thClass}>TTL</th>
                      <th className={thClass}>Priority</th>
                      <th className={thClass}>Status</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {domain.dnsRecords.map((record, i) => (
                      <tr key={`${record.type}-${record.name}-${i}`}>
                        <td className={tdClass}>{record.type}</td>
                        <td className={`${tdClass} font-mono text-xs`}>{record.name}</td>
                        <td className={`${tdClass} max-w-md break-all font-mono text-xs`}>{record.value}</td>
                        <td className={tdClass}>{record.ttl ?? "–"}</td>
                        <td className={tdClass}>{record.priority ?? "–"}</td>
                        <td className={tdClass}>{record.status ?? "–"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="mt-2 text-sm text-slate-500">
                {domain.isDev
                  ? "Works out of the box with the local provider: no DNS records needed."
                  : "No DNS records to publish with the current mail provider."}
              </p>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
