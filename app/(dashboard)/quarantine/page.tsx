import Link from "next/link";
import { hasRole } from "@/lib/auth/roles";
import { listQuarantined } from "@/lib/guardrails/quarantine";
import { getPageSession } from "@/lib/http/with-session";
import { isUuid } from "@/lib/ids";
import { PageHeader } from "../page-header";
import { QuarantineActions } from "./quarantine-actions";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Quarantine · Sairaph Mail" };

const PAGE_SIZE = 50;

// Mail a receive allow list held back (SPEC §13): agents never see it; owners and admins release or delete it.
export default async function QuarantinePage({ searchParams }: { searchParams: Promise<{ mailbox?: string; cursor?: string }> }) {
  const session = await getPageSession();
  const params = await searchParams;
  const description = "Mail from senders a receive allow list does not name. Agents cannot see it until it is released.";
  if (!hasRole(session.role, "admin")) {
    return (
      <>
        <PageHeader title="Quarantine" description={description} />
        <p className={cardClass}>Only owners and admins can see quarantined mail.</p>
      </>
    );
  }
  const mailboxId = params.mailbox && isUuid(params.mailbox) ? params.mailbox : null;
  const cursor = params.cursor && isUuid(params.cursor) ? params.cursor : null;
  const page = await listQuarantined({ tenantId: session.tenant.id, mailboxId, limit: PAGE_SIZE, cursor });
  const nextHref = page.nextCursor ? `/quarantine?${new URLSearchParams({ ...(mailboxId ? { mailbox: mailboxId } : {}), cursor: page.nextCursor })}` : null;
  return (
    <>
      <PageHeader title="Quarantine" description={description} />
      <section className={cardClass} aria-label="Held messages">
        {(mailboxId || cursor) && (
          <p className="mb-3 text-sm">
            <Link href="/quarantine" className="underline">
              Newest, every mailbox
            </Link>
          </p>
        )}
        {page.data.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing is held.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100">
            {page.data.map((m) => (
              <li key={m.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="quarantined">
                <div className="min-w-0 text-sm">
                  <Link href={`/quarantine/${m.id}`} className="font-medium underline [overflow-wrap:anywhere]">
                    {m.subject || "(no subject)"}
                  </Link>
                  <div className="text-slate-600 [overflow-wrap:anywhere]">
                    From {m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address}
                  </div>
                  <div className="text-slate-500 [overflow-wrap:anywhere]">
                    To{" "}
                    <Link href={`/quarantine?mailbox=${m.mailboxId}`} className="underline">
                      {m.mailboxAddress}
                    </Link>{" "}
                    · {formatDateTime(m.receivedAt)}
                    {m.attachmentCount > 0 ? ` · ${m.attachmentCount} attachment${m.attachmentCount === 1 ? "" : "s"}` : ""}
                  </div>
                  <p className="mt-1 text-slate-500 [overflow-wrap:anywhere]">{m.snippet}</p>
                </div>
                <QuarantineActions id={m.id} subject={m.subject} />
              </li>
            ))}
          </ul>
        )}
        {nextHref && (
          <p className="mt-3 text-sm">
            <Link href={nextHref} className="underline">
              Older
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
