import Link from "next/link";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { ApiError } from "@/lib/errors";
import { getPageSession } from "@/lib/http/with-session";
import { isUuid } from "@/lib/ids";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { getMessageDto } from "@/lib/messages/get-message";
import { PageHeader } from "../../../page-header";
import { MessageHtml } from "@/components/message-html";
import { MessageStatus } from "@/components/mail/message-status";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { ApprovalDecision } from "./approval-decision";
import { RefreshWhileSending } from "./refresh-while-sending";

export const metadata = { title: "Approve a send · Sairaph Mail" };

type Participant = { address: string; name: string | null };
const show = (list: Participant[]) => list.map((p) => (p.name ? `${p.name} <${p.address}>` : p.address)).join(", ");

async function load(tenantId: string, mailboxId: string, messageId: string) {
  if (!isUuid(mailboxId) || !isUuid(messageId)) notFound();
  try {
    const mailbox = await getMailboxOrThrow({ tenantId, id: mailboxId });
    const message = await getMessageDto({ tenantId, mailboxId: mailbox.id, id: messageId });
    if (message.direction !== "outbound") notFound();
    return { mailbox, message };
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}

export default async function ApprovalPage({ params }: { params: Promise<{ mailboxId: string; messageId: string }> }) {
  const { mailboxId, messageId } = await params;
  const session = await getPageSession();
  const { mailbox, message } = await load(session.tenant.id, mailboxId, messageId);
  const waiting = message.status === "pending_approval";
  const canAct = hasRole(session.role, "admin");
  return (
    <>
      <PageHeader title={message.subject || "(no subject)"} description={`A send from ${mailbox.address}, written ${formatDateTime(message.createdAt)}.`}>
        <Link href="/approvals" className="text-sm underline">
          All approvals
        </Link>
      </PageHeader>
      <div className="flex flex-col gap-6">
        <section className={cardClass} aria-labelledby="held-message-heading">
          <h2 id="held-message-heading" className="sr-only">
            The message
          </h2>
          <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-500">Status</span>
            <MessageStatus status={message.status} />
            {message.statusReason && <span className="text-slate-600 [overflow-wrap:anywhere]">{message.statusReason}</span>}
          </div>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-slate-500">From</dt>
            <dd className="[overflow-wrap:anywhere]">{show([message.from])}</dd>
            <dt className="text-slate-500">To</dt>
            <dd className="[overflow-wrap:anywhere]" data-testid="held-to">{show(message.to)}</dd>
            {message.cc.length > 0 && (
              <>
                <dt className="text-slate-500">Cc</dt>
                <dd className="[overflow-wrap:anywhere]">{show(message.cc)}</dd>
              </>
            )}
            {message.bcc.length > 0 && (
              <>
                <dt className="text-slate-500">Bcc</dt>
                <dd className="[overflow-wrap:anywhere]">{show(message.bcc)}</dd>
              </>
            )}
            {message.attachments.length > 0 && (
              <>
                <dt className="text-slate-500">Attachments</dt>
                <dd className="[overflow-wrap:anywhere]">{message.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(", ")}</dd>
              </>
            )}
          </dl>
          <div className="mt-4">
            {message.html ? (
              <MessageHtml html={message.html} title={`Message ${message.subject}`} />
            ) : (
              <pre className="max-h-[420px] overflow-auto rounded border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">{message.text ?? ""}</pre>
            )}
          </div>
        </section>
        {waiting && canAct && (
          <ApprovalDecision
            mailboxId={mailbox.id}
            messageId={message.id}
            initial={{
              to: message.to.map((p) => p.address).join(", "),
              cc: message.cc.map((p) => p.address).join(", "),
              bcc: message.bcc.map((p) => p.address).join(", "),
              subject: message.subject,
              text: message.text ?? "",
              html: message.html ?? "",
            }}
          />
        )}
        {waiting && !canAct && <p className="text-sm text-slate-600">Only an owner or admin can approve or reject this send.</p>}
        {!waiting && (
          <p className="text-sm text-slate-600" data-testid="decided">
            This message is no longer waiting for approval.
          </p>
        )}
        {(message.status === "queued" || message.status === "delayed") && <RefreshWhileSending />}
      </div>
    </>
  );
}
