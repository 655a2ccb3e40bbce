import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { listPendingApprovals, PENDING_APPROVALS_SHOWN } from "@/lib/outbound/list-pending-approvals";
import { PageHeader } from "../page-header";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Approvals · Sairaph Mail" };

/** "3 min", "2 h", "4 d": how long a send has been waiting. */
function age(waitingMs: number): string {
  const minutes = Math.floor(waitingMs / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

export default async function ApprovalsPage() {
  const session = await getPageSession();
  const { items, more } = await listPendingApprovals({ tenantId: session.tenant.id });
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Sends held by a mailbox's send policy. Nothing here has been sent; approving checks suppression, lists and limits again, then sends it."
      />
      <section className={cardClass} aria-labelledby="approvals-heading">
        <h2 id="approvals-heading" className="mb-3 text-base font-semibold">
          Waiting for approval ({items.length}
          {more ? "+" : ""})
        </h2>
        {items.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="approvals-empty">
            No send is waiting. Set a mailbox&apos;s send policy on its Settings tab to hold its agent&apos;s sends here.
          </p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className={`${tableClass} stack-on-phone`}>
              <thead>
                <tr>
                  <th className={thClass}>Subject</th>
                  <th className={thClass}>Mailbox</th>
                  <th className={thClass}>Recipients</th>
                  <th className={thClass}>Waiting</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((item) => (
                  <tr key={item.id} data-testid="approval-row">
                    <td className={`${tdClass} [overflow-wrap:anywhere]`} data-label="Subject">
                      <Link href={`/approvals/${item.mailboxId}/${item.id}`} className="font-medium underline">
                        {item.subject || "(no subject)"}
                      </Link>
                      <div className="text-xs text-slate-500">{item.snippet}</div>
                    </td>
                    <td className={`${tdClass} [overflow-wrap:anywhere]`} data-label="Mailbox">{item.mailboxAddress}</td>
                    <td className={`${tdClass} [overflow-wrap:anywhere]`} data-label="Recipients">{item.recipients.join(", ")}</td>
                    <td className={`${tdClass} whitespace-nowrap`} data-label="Waiting" title={formatDateTime(item.createdAt)}>
                      {age(item.waitingMs)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {more && <p className="mt-3 text-sm text-slate-600">Showing the {PENDING_APPROVALS_SHOWN} that waited longest; decide on these to see the rest.</p>}
          </div>
        )}
      </section>
    </>
  );
}
