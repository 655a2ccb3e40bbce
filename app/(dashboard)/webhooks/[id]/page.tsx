import { notFound } from "next/navigation";
import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { ApiError } from "@/lib/errors";
import { getWebhook, listDeliveries } from "@/lib/webhooks/manage-webhooks";
import { PageHeader } from "../../page-header";
import { EndpointActions, ResendButton } from "../endpoint-actions";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Webhook endpoint · Sairaph Mail" };

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await getPageSession();
  const canManage = hasRole(session.role, "admin");
  const scope = { tenantId: session.tenant.id, ownMailboxId: null };
  const endpoint = await getWebhook(scope, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const { data: deliveries } = await listDeliveries(scope, endpoint.id, { limit: 50 });
  return (
    <>
      <PageHeader title="Webhook endpoint" description={endpoint.url} />
      <div className="flex flex-col gap-6">
        <section className={cardClass} aria-labelledby="endpoint-heading">
          <h2 id="endpoint-heading" className="mb-2 text-base font-semibold">
            {endpoint.enabled ? "Enabled" : "Disabled"}
          </h2>
          {endpoint.disabledReason && !endpoint.enabled && <p className="mb-2 text-sm text-amber-800">{endpoint.disabledReason}</p>}
          <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Events</dt>
            <dd>{endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : "all"}</dd>
            <dt className="text-slate-500">Mailboxes</dt>
            <dd>{endpoint.mailboxIds.length ? endpoint.mailboxIds.join(", ") : "all"}</dd>
            {endpoint.secretRotatingUntil && (
              <>
                <dt className="text-slate-500">Previous secret</dt>
                <dd>also signs until {formatDateTime(endpoint.secretRotatingUntil)}</dd>
              </>
            )}
          </dl>
          {canManage && <EndpointActions endpointId={endpoint.id} enabled={endpoint.enabled} afterDelete="/webhooks" />}
        </section>
        <section className={cardClass} aria-labelledby="deliveries-heading">
          <h2 id="deliveries-heading" className="mb-4 text-base font-semibold">
            Delivery log
          </h2>
          {deliveries.length === 0 ? (
            <p className="text-sm text-slate-600">No deliveries yet.</p>
          ) : (
            <table className={tableClass} data-testid="delivery-log">
              <thead>
                <tr>
                  <th className={thClass}>Event</th>
                  <th className={thClass}>Status</th>
                  <th className={thClass}>Attempts</th>
                  <th className={thClass}>Response</th>
                  <th className={thClass}>Time</th>
                  <th className={thClass}>Next retry</th>
                  <th className={thClass}>Created</th>
                  {canManage && <th className={thClass}></th>}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className={tdClass}>
                      <code>{d.eventType}</code>
                      {d.eventId && <div className="text-xs text-slate-500">event {d.eventId}</div>}
                    </td>
                    <td className={tdClass}>{d.status}</td>
                    <td className={tdClass}>{d.attempts}</td>
                    <td className={tdClass}>{d.lastStatusCode ?? d.lastError ?? "–"}</td>
                    <td className={tdClass}>{d.lastDurationMs !== null ? `${d.lastDurationMs} ms` : "–"}</td>
                    <td className={tdClass}>{d.nextAttemptAt && d.status === "pending" ? formatDateTime(d.nextAttemptAt) : "–"}</td>
                    <td className={tdClass}>{formatDateTime(d.createdAt)}</td>
                    {canManage && (
                      <td className={tdClass}>
                        <ResendButton endpointId={endpoint.id} deliveryId={d.id} />
                      </td>
                    )}
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
