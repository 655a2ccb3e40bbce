import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { ApiError } from "@/lib/errors";
import { listDrafts } from "@/lib/drafts/manage-drafts";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { loadMailbox } from "../load-mailbox";

export const metadata = { title: "Drafts · Sairaph Mail" };

// The mailbox's drafts, read-only: agents write and send them over the API and MCP.
export default async function DraftsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ cursor?: string }> }) {
  const { id } = await params;
  const { cursor } = await searchParams;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  const scope = { tenantId: session.tenant.id, mailboxId: mailbox.id };
  const page = await listDrafts({ ...scope, limit: 50, cursor: typeof cursor === "string" ? cursor : undefined }).catch((err: unknown) => {
    // A hand-edited cursor starts the list over rather than failing the page.
    if (err instanceof ApiError && err.code === "validation_error") return listDrafts({ ...scope, limit: 50 });
    throw err;
  });
  return (
    <section className={cardClass} aria-labelledby="drafts-heading">
      <h2 id="drafts-heading" className="text-base font-semibold">
        Drafts
      </h2>
      <p className="mb-4 mt-1 text-sm text-slate-600">
        Emails saved but not sent yet, newest first. Agents create, change and send them through the API (<code>/drafts</code>) or the MCP
        tools; a sent draft becomes a message and leaves this list.
      </p>
      {page.data.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="drafts-empty">
          No drafts.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="drafts-list">
          {page.data.map((d) => {
            const recipients = [...d.to, ...d.cc, ...d.bcc];
            return (
              <li key={d.id} className="flex min-w-0 flex-col gap-0.5 py-2 text-sm" data-testid="draft" data-draft-id={d.id}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="min-w-0 font-medium [overflow-wrap:anywhere]">{d.subject || "(no subject)"}</span>
                  <span className="text-xs text-slate-500">Edited {formatDateTime(d.updatedAt)}</span>
                </div>
                <span className="text-slate-600 [overflow-wrap:anywhere]">To: {recipients.length ? recipients.join(", ") : "(nobody yet)"}</span>
                {d.snippet && <span className="block truncate text-xs text-slate-400">{d.snippet}</span>}
                {(d.attachments.length > 0 || d.inReplyTo) && (
                  <span className="text-xs text-slate-500">
                    {d.attachments.length > 0 && `${d.attachments.length} attachment(s)`}
                    {d.attachments.length > 0 && d.inReplyTo && " · "}
                    {d.inReplyTo && "a reply"}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {page.nextCursor && (
        <Link className="mt-3 inline-block text-sm underline" href={`/mailboxes/${mailbox.id}/drafts?cursor=${encodeURIComponent(page.nextCursor)}`}>
          Older drafts →
        </Link>
      )}
    </section>
  );
}
