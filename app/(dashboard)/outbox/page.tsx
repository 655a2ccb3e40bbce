// The development outbox: mail the local provider handled (SPEC §4) — delivered to a
// mailbox of this deployment, or only recorded as sent for any other address.
import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { getEnv } from "@/lib/env";
import { hasRole } from "@/lib/auth/roles";
import { listDevOutbox } from "@/lib/outbound/list-dev-outbox";
import { listSystemEmails } from "@/lib/system-mail/send-system-email";
import { PageHeader } from "../page-header";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Dev outbox · Sairaph Mail" };

export default async function OutboxPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const session = await getPageSession();
  const { cursor } = await searchParams;
  const page = await listDevOutbox({ tenantId: session.tenant.id, limit: 50, cursor: typeof cursor === "string" ? cursor : undefined });
  const provider = getEnv().MAIL_PROVIDER;
  // Links in system mail are credentials: admins only (they can invite anyway).
  const systemMail = cursor || !hasRole(session.role, "admin") ? [] : await listSystemEmails(session.tenant.id);
  return (
    <>
      <PageHeader
        title="Dev outbox"
        description={
          provider === "local"
            ? "Mail sent with the local provider: delivered to mailboxes of this deployment, recorded here for every other address."
            : "This deployment sends through Resend; mail sent earlier with the local provider is listed here."
        }
      />
      <section className={cardClass}>
        {page.data.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className={`${tableClass} stack-on-phone`}>
              <thead>
                <tr>
                  <th className={thClass}>From</th>
                  <th className={thClass}>To</th>
                  <th className={thClass}>Subject</th>
                  <th className={thClass}>Status</th>
                  <th className={thClass}>Sent</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.data.map((m) => (
                  <tr key={m.id}>
                    <td className={tdClass} data-label="From">{m.from.address}</td>
                    <td className={tdClass} data-label="To">{[...m.to, ...m.cc, ...m.bcc].map((p) => p.address).join(", ")}</td>
                    <td className={tdClass} data-label="Subject">
                      <Link className="underline" href={`/mailboxes/${m.mailboxId}?thread=${m.threadId}`}>
                        {m.subject || "(no subject)"}
                      </Link>
                      <div className="text-xs text-slate-500">{m.snippet}</div>
                    </td>
                    <td className={tdClass} data-label="Status">{m.status}</td>
                    <td className={tdClass} data-label="Sent">{formatDateTime(new Date(m.sentAt ?? m.createdAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.nextCursor && (
          <Link className="mt-3 inline-block text-sm underline" href={`/outbox?cursor=${page.nextCursor}`}>
            Older
          </Link>
        )}
      </section>
      {systemMail.length > 0 && (
        <section className={`${cardClass} mt-6`} aria-labelledby="system-mail-heading">
          <h2 id="system-mail-heading" className="mb-1 text-base font-semibold">
            System mail
          </h2>
          <p className="mb-4 text-sm text-slate-500">Verification links and invitations for this tenant, kept here because the local provider does not deliver them.</p>
          <ul className="flex flex-col gap-4">
            {systemMail.map((m) => (
              <li key={m.id} data-testid="system-mail" className="min-w-0 text-sm">
                <p className="font-medium break-all">
                  To {m.to}: {m.subject}
                </p>
                <p className="text-xs text-slate-500">{formatDateTime(m.createdAt)}</p>
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-2 text-xs">{m.text}</pre>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
