import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { EVENT_TYPES } from "@/lib/events/types";
import { listWebhooks } from "@/lib/webhooks/manage-webhooks";
import { PageHeader } from "../page-header";
import { WebhookCreator } from "./webhook-creator";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Webhooks · Sairaph Mail" };

export default async function WebhooksPage() {
  const session = await getPageSession();
  const canManage = hasRole(session.role, "admin");
  const scope = { tenantId: session.tenant.id, ownMailboxId: null };
  const [{ data: endpoints }, mailboxes] = await Promise.all([
    listWebhooks(scope, { limit: 100 }),
    getDb().mailbox.findMany({
      where: { tenantId: session.tenant.id, status: { not: "deleted" } },
      orderBy: { address: "asc" },
      select: { id: true, address: true },
      take: 1000,
    }),
  ]);
  const addressOf = new Map(mailboxes.map((m) => [m.id, m.address]));
  const autoDisabled = endpoints.filter((e) => !e.enabled && e.failingSince);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP callbacks for events of your mailboxes (Standard Webhooks). Retried for about 24 hours; an endpoint failing for 5 days is disabled."
      />
      <div className="flex flex-col gap-6">
        {autoDisabled.length > 0 && (
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            {autoDisabled.length === 1 ? "An endpoint was" : `${autoDisabled.length} endpoints were`} disabled after failing for 5 days:{" "}
            {autoDisabled.map((e) => e.url).join(", ")}. Fix the receiver, then enable it again.
          </p>
        )}
        {canManage && <WebhookCreator eventTypes={EVENT_TYPES} mailboxes={mailboxes} />}
        <section className={cardClass} aria-labelledby="webhook-list-heading">
          <h2 id="webhook-list-heading" className="mb-4 text-base font-semibold">
            Endpoints
          </h2>
          {endpoints.length === 0 ? (
            <p className="text-sm text-slate-600">No endpoints yet.</p>
          ) : (
            <table className={tableClass}>
              <thead>
                <tr>
                  <th className={thClass}>URL</th>
                  <th className={thClass}>Events</th>
                  <th className={thClass}>Mailboxes</th>
                  <th className={thClass}>State</th>
                  <th className={thClass}>Created</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {endpoints.map((e) => (
                  <tr key={e.id}>
                    <td className={tdClass}>
                      <Link href={`/webhooks/${e.id}`} className="font-mono text-slate-900 underline">
                        {e.url}
                      </Link>
                      {e.description && <div className="text-xs text-slate-500">{e.description}</div>}
                    </td>
                    <td className={tdClass}>{e.eventTypes.length ? e.eventTypes.join(", ") : "all"}</td>
                    <td className={tdClass}>{e.mailboxIds.length ? e.mailboxIds.map((id) => addressOf.get(id) ?? "(deleted mailbox)").join(", ") : "all"}</td>
                    <td className={tdClass}>
                      {e.enabled ? (e.failingSince ? `failing since ${formatDateTime(e.failingSince)}` : "enabled") : "disabled"}
                    </td>
                    <td className={tdClass}>{formatDateTime(e.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
