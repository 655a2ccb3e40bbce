import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { listAuditActions, listAuditEvents } from "@/lib/audit/list-audit-events";
import { isUuid } from "@/lib/ids";
import { PageHeader } from "../page-header";
import { cardClass, inputClass, labelClass, secondaryButtonClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Audit log · Sairaph Mail" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ action?: string; cursor?: string }> }) {
  const session = await getPageSession();
  const params = await searchParams;
  const action = params.action?.slice(0, 100) || null;
  const cursor = params.cursor && isUuid(params.cursor) ? params.cursor : null;
  const [events, actions] = await Promise.all([
    listAuditEvents({ tenantId: session.tenant.id, action, cursor }),
    listAuditActions({ tenantId: session.tenant.id }),
  ]);
  const nextHref = events.nextCursor
    ? `/audit?${new URLSearchParams({ ...(action ? { action } : {}), cursor: events.nextCursor })}`
    : null;
  return (
    <>
      <PageHeader title="Audit log" description="Who did what and when in this tenant, newest first." />
      <section className={cardClass}>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-action" className={labelClass}>
              Action
            </label>
            <select id="audit-action" name="action" defaultValue={action ?? ""} className={inputClass}>
              <option value="">All actions</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={secondaryButtonClass}>
            Filter
          </button>
          {(action || cursor) && (
            <Link href="/audit" className="text-sm underline">
              Newest, all actions
            </Link>
          )}
        </form>
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>When</th>
                <th className={thClass}>Who</th>
                <th className={thClass}>Action</th>
                <th className={thClass}>Target</th>
                <th className={thClass}>Details</th>
                <th className={thClass}>IP</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.data.map((event) => (
                <tr key={event.id} data-testid="audit-row">
                  <td className={`${tdClass} whitespace-nowrap`}>{formatDateTime(event.createdAt)}</td>
                  <td className={tdClass}>
                    {event.actorLabel}
                    <span className="ml-1 text-xs text-slate-500">({event.actorType})</span>
                  </td>
                  <td className={`${tdClass} font-mono text-xs`}>{event.action}</td>
                  <td className={`${tdClass} text-xs`}>
                    {event.targetType ? `${event.targetType} ${event.targetId ?? ""}` : "–"}
                  </td>
                  <td className={`${tdClass} max-w-md break-all font-mono text-xs text-slate-600`}>
                    {JSON.stringify(event.metadata)}
                  </td>
                  <td className={`${tdClass} text-xs`}>{event.ip ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.data.length === 0 && <p className="py-6 text-center text-sm text-slate-500">No events.</p>}
        </div>
        {nextHref && (
          <p className="mt-4">
            <Link href={nextHref} className={secondaryButtonClass}>
              Older events
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
