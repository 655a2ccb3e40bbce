import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { ApiError } from "@/lib/errors";
import { listSuppressions } from "@/lib/suppression/list-suppressions";
import { cardClass } from "@/components/ui/styles";
import { loadMailbox } from "../load-mailbox";
import { SuppressionsPanel } from "./suppressions-panel";

export const metadata = { title: "Suppressions · Sairaph Mail" };

export default async function SuppressionsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ cursor?: string }> }) {
  const { id } = await params;
  const { cursor } = await searchParams;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  const page = await listSuppressions({ tenantId: session.tenant.id, mailboxId: mailbox.id, limit: 50, cursor: typeof cursor === "string" ? cursor : undefined }).catch(
    (err: unknown) => {
      // A hand-edited cursor starts the list over rather than failing the page.
      if (err instanceof ApiError && err.code === "validation_error") return listSuppressions({ tenantId: session.tenant.id, mailboxId: mailbox.id, limit: 50 });
      throw err;
    },
  );
  return (
    <section className={cardClass} aria-labelledby="suppressions-heading">
      <h2 id="suppressions-heading" className="text-base font-semibold">
        Suppression list
      </h2>
      <p className="mb-4 mt-1 text-sm text-slate-600">
        This mailbox never sends to these addresses: a send or reply that includes one is refused and nothing is delivered. Hard bounces
        and complaints add addresses automatically; the list belongs to this mailbox only.
      </p>
      <SuppressionsPanel mailboxId={mailbox.id} suppressions={page.data} canManage={hasRole(session.role, "admin")} />
      {page.nextCursor && (
        <Link className="mt-3 inline-block text-sm underline" href={`/mailboxes/${mailbox.id}/suppressions?cursor=${encodeURIComponent(page.nextCursor)}`}>
          Older entries →
        </Link>
      )}
    </section>
  );
}
