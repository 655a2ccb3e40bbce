// The mailbox's threads and messages, usage and suppression list (SPEC §8). Email
// content is third-party data: text is rendered escaped by React, HTML only through
// MessageHtml (DOMPurify + a script-less sandboxed iframe).
import Link from "next/link";
import { MessageHtml } from "@/components/message-html";
import { cardClass, tableClass, tdClass, thClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { ApiError } from "@/lib/errors";
import { getMailboxUsage } from "@/lib/mailboxes/get-mailbox-usage";
import { getThread } from "@/lib/messages/get-thread";
import { listThreads } from "@/lib/messages/list-threads";
import { listSuppressions } from "@/lib/suppression/list-suppressions";
import type { MessageDto } from "@/lib/messages/schemas";

type Props = { tenantId: string; mailboxId: string; threadId?: string };

function participant(p: { address: string; name: string | null }): string {
  return p.name ? `${p.name} <${p.address}>` : p.address;
}

export async function MessagesSection({ tenantId, mailboxId, threadId }: Props) {
  const scope = { tenantId, mailboxId };
  const [usage, threads, suppressions, thread] = await Promise.all([
    getMailboxUsage(scope),
    listThreads({ ...scope, limit: 25 }),
    listSuppressions({ ...scope, limit: 50 }),
    threadId
      ? getThread({ ...scope, id: threadId }).catch((err: unknown) => {
          if (err instanceof ApiError && err.code === "not_found") return null;
          throw err;
        })
      : Promise.resolve(null),
  ]);
  return (
    <>
      <section className={cardClass} aria-labelledby="usage-heading">
        <h2 id="usage-heading" className="mb-3 text-base font-semibold">
          Usage
        </h2>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
          <Stat term="Sent this minute" value={`${usage.used.sentThisMinute} / ${usage.limits.sendPerMinute}`} />
          <Stat term="Sent today (UTC)" value={`${usage.used.sentToday} / ${usage.limits.sendPerDay}`} />
          <Stat term="Messages stored" value={String(usage.storage.messages)} />
          <Stat term="Storage" value={`${(usage.storage.bytes / 1024).toFixed(1)} KB`} />
        </dl>
      </section>

      <section className={cardClass} aria-labelledby="messages-heading">
        <h2 id="messages-heading" className="mb-3 text-base font-semibold">
          Messages
        </h2>
        {threads.data.length === 0 ? (
          <p className="text-sm text-slate-500">No messages yet. Mail sent to this address or from it through the API shows up here.</p>
        ) : (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-[20rem_1fr]">
            <ul className="flex flex-col divide-y divide-slate-100 rounded border border-slate-200" aria-label="Threads">
              {threads.data.map((t) => (
                <li key={t.id}>
                  <Link
                    href={`/mailboxes/${mailboxId}?thread=${t.id}`}
                    aria-current={t.id === thread?.id ? "true" : undefined}
                    className={`block px-3 py-2 text-sm hover:bg-slate-50 ${t.id === thread?.id ? "bg-slate-100" : ""}`}
                  >
                    <span className={`block truncate ${t.unreadCount ? "font-semibold" : ""}`}>{t.subject || "(no subject)"}</span>
                    <span className="block truncate text-xs text-slate-500">
                      {t.participants.map((p) => p.name ?? p.address).join(", ")} · {t.messageCount} · {formatDateTime(new Date(t.lastMessageAt))}
                    </span>
                    <span className="block truncate text-xs text-slate-400">{t.snippet}</span>
                  </Link>
                </li>
              ))}
            </ul>
            <div className="min-w-0">
              {thread ? (
                <div className="flex flex-col gap-4" data-testid="thread-view">
                  <h3 className="text-lg font-semibold">{thread.subject || "(no subject)"}</h3>
                  {thread.messages.map((m) => (
                    <MessageView key={m.id} mailboxId={mailboxId} message={m} />
                  ))}
                </div>
              ) : (
                <p className="text-sm text-slate-500">{threadId ? "That thread was not found." : "Choose a thread to read it."}</p>
              )}
            </div>
          </div>
        )}
      </section>

      <section className={cardClass} aria-labelledby="suppressions-heading">
        <h2 id="suppressions-heading" className="mb-3 text-base font-semibold">
          Suppression list
        </h2>
        {suppressions.data.length === 0 ? (
          <p className="text-sm text-slate-500">No suppressed addresses. Hard bounces and complaints add them here, for this mailbox only.</p>
        ) : (
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>Address</th>
                <th className={thClass}>Reason</th>
                <th className={thClass}>Since</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {suppressions.data.map((s) => (
                <tr key={s.address}>
                  <td className={tdClass}>{s.address}</td>
                  <td className={tdClass}>{s.reason}</td>
                  <td className={tdClass}>{formatDateTime(new Date(s.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function MessageView({ mailboxId, message: m }: { mailboxId: string; message: MessageDto }) {
  return (
    <article className="rounded border border-slate-200" aria-label={`Message from ${m.from.address}`}>
      <header className="border-b border-slate-100 px-3 py-2 text-sm">
        <div className="flex flex-wrap justify-between gap-2">
          <span className="font-medium">{participant(m.from)}</span>
          <span className="text-slate-500">
            {m.direction} · {m.status} · {formatDateTime(new Date(m.createdAt))}
          </span>
        </div>
        <div className="text-slate-500">To: {m.to.map(participant).join(", ") || "–"}</div>
        {m.cc.length > 0 && <div className="text-slate-500">Cc: {m.cc.map(participant).join(", ")}</div>}
        {m.statusReason && <div className="text-red-700">{m.statusReason}</div>}
      </header>
      <div className="p-3">
        {m.html ? (
          <MessageHtml html={m.html} title={`Message ${m.subject}`} />
        ) : (
          <pre className="whitespace-pre-wrap break-words font-sans text-sm" data-testid="message-text">
            {m.text ?? ""}
          </pre>
        )}
        {m.attachments.length > 0 && (
          <ul className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Attachments">
            {m.attachments.map((a) => (
              <li key={a.id}>
                <a
                  className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50"
                  href={`/api/dashboard/mailboxes/${mailboxId}/messages/${m.id}/attachments/${a.id}`}
                >
                  {a.filename} ({Math.ceil(a.size / 1024)} KB)
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </article>
  );
}

function Stat({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{term}</dt>
      <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
    </div>
  );
}
