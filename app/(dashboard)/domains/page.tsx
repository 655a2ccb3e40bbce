import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { listDomains } from "@/lib/domains/list-domains";
import { PageHeader } from "../page-header";
import { AddDomainForm } from "./add-domain-form";
import { CheckDomainButton } from "./check-domain-button";
import { CopyButton } from "@/components/ui/copy-button";
import { formatDateTime } from "@/components/ui/format";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";

export const metadata = { title: "Domains · Sairaph Mail" };

export default async function DomainsPage() {
  const session = await getPageSession();
  const domains = await listDomains({ tenantId: session.tenant.id });
  return (
    <>
      <PageHeader
        title="Domains"
        description="Mailboxes live on these domains. A new domain is pending until you prove it is yours: publish its TXT record at your DNS host. With Resend, publish Resend's records too."
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
            {domain.verificationRecord && (
              <div className="mt-4 flex flex-col gap-2" data-testid="verification-record">
                <p className="text-sm text-slate-600">
                  {domain.status === "verified"
                    ? `Verified${domain.verifiedAt ? ` ${formatDateTime(domain.verifiedAt)}` : ""}. Keep this record published: whoever publishes their own claim's record takes the domain over.`
                    : domain.status === "failed"
                      ? "Another tenant proved this domain since: its mailboxes here neither send nor receive. Publish this record again to take it back."
                      : "Pending: this domain neither sends nor receives until this TXT record is published. It is looked up every few minutes, or now:"}
                </p>
                <div className="overflow-x-auto">
                  <table className={tableClass}>
                    <caption className="sr-only">Ownership record for {domain.name}</caption>
                    <thead>
                      <tr>
                        <th className={thClass}>Type</th>
                        <th className={thClass}>Name</th>
                        <th className={thClass}>Value</th>
                      </tr>
                    </thead>
                    <tbody>
                      <tr>
                        <td className={tdClass}>{domain.verificationRecord.type}</td>
                        <td className={`${tdClass} font-mono text-xs`}>
                          {domain.verificationRecord.name} <CopyButton value={domain.verificationRecord.name} />
                        </td>
                        <td className={`${tdClass} break-all font-mono text-xs`}>
                          {domain.verificationRecord.value} <CopyButton value={domain.verificationRecord.value} />
                        </td>
                      </tr>
                    </tbody>
                  </table>
                </div>
                <p className="text-xs text-slate-500">Last checked: {domain.lastCheckedAt ? formatDateTime(domain.lastCheckedAt) : "not yet"}</p>
                {domain.status !== "verified" && hasRole(session.role, "admin") && <CheckDomainButton domainId={domain.id} />}
              </div>
            )}
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
              domain.isDev && <p className="mt-2 text-sm text-slate-500">Works out of the box with the local provider: no DNS records needed.</p>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
