import Link from "next/link";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { ApiError } from "@/lib/errors";
import { getQuarantined } from "@/lib/guardrails/quarantine";
import { getPageSession } from "@/lib/http/with-session";
import { isUuid } from "@/lib/ids";
import { PageHeader } from "../../page-header";
import { QuarantineActions } from "../quarantine-actions";
import { MessageHtml } from "@/components/message-html";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Held message · Sairaph Mail" };

const show = (p: { address: string; name?: string | null }) => (p.name ? `${p.name} <${p.address}>` : p.address);

// One held message, rendered like other inbound mail (sanitised HTML in a sandbox, or text).
export default async function QuarantinedMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const session = await getPageSession();
  const { id } = await params;
  if (!hasRole(session.role, "admin")) {
    return (
      <>
        <PageHeader title="Held message" />
        <p className={cardClass}>Only owners and admins can see quarantined mail.</p>
      </>
    );
  }
  if (!isUuid(id)) notFound();
  const m = await getQuarantined({ tenantId: session.tenant.id, id }).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  return (
    <>
      <PageHeader title={m.subject || "(no subject)"} description={`Held for ${m.mailboxAddress}; the agent cannot see it until it is released.`}>
        <QuarantineActions id={m.id} subject={m.subject} after="/quarantine" />
      </PageHeader>
      <article className={`${cardClass} min-w-0`} aria-label={`Held message from ${m.from.address}`}>
        <header className="mb-3 flex flex-col gap-1 text-sm">
          <div className="[overflow-wrap:anywhere]">From: {show(m.from)}</div>
          <div className="text-slate-500 [overflow-wrap:anywhere]">To: {m.to.map(show).join(", ") || "–"}</div>
          {m.cc.length > 0 && <div className="text-slate-500 [overflow-wrap:anywhere]">Cc: {m.cc.map(show).join(", ")}</div>}
          <div className="text-slate-500">Received {formatDateTime(m.receivedAt)}</div>
        </header>
        {m.securityFlags.length > 0 && (
          <p role="alert" data-testid="security-banner" className="mb-3 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Screening found: {m.securityFlags.join(", ").replaceAll("_", " ")}. Be careful before releasing it to the agent.
          </p>
        )}
        {m.html ? (
          <MessageHtml html={m.html} title={`Held message ${m.subject}`} />
        ) : (
          <pre className="whitespace-pre-wrap font-sans text-sm [overflow-wrap:anywhere]" data-testid="message-text">
            {m.text ?? ""}
          </pre>
        )}
        {m.attachments.length > 0 && (
          <ul className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Attachments">
            {m.attachments.map((a, i) => (
              <li key={i} className="rounded border border-slate-300 px-2 py-1 [overflow-wrap:anywhere]">
                {a.filename} ({Math.ceil(a.size / 1024)} KB)
              </li>
            ))}
          </ul>
        )}
      </article>
      <p className="mt-4 text-sm">
        <Link href="/quarantine" className="underline">
          Back to the quarantine
        </Link>
      </p>
    </>
  );
}
