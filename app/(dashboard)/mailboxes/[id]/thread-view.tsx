"use client";

// One thread: every message with its status and delivery history, its body
// (sanitised HTML in a sandbox, or text), attachments and labels, and the reply,
// reply all, forward and read/unread controls for members who may send.
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ThreadView as ThreadData } from "@/lib/messages/get-thread-with-deliveries";
import type { MessageDto } from "@/lib/messages/schemas";
import type { DeliveryAttemptItem } from "@/lib/outbound/list-delivery-attempts";
import { MessageHtml } from "@/components/message-html";
import { MessageStatus } from "@/components/mail/message-status";
import { fetchDashboardJson } from "@/components/fetch-dashboard-json";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { formatDateTime } from "@/components/ui/format";
import { inputClass, secondaryButtonClass } from "@/components/ui/styles";
import { updateMessagesAction } from "./mail-actions";
import { ComposeForm, type ComposeMode, type Sent } from "./compose-form";

type Participant = { address: string; name: string | null };
const show = (p: Participant) => (p.name ? `${p.name} <${p.address}>` : p.address);
const reSubject = (s: string) => (/^\s*re\s*:/i.test(s) ? s : `Re: ${s}`);
const isUnread = (m: MessageDto) => m.direction === "inbound" && !m.read;
const fwdSubject = (s: string) => (/^\s*(fwd?|fw)\s*:/i.test(s) ? s : `Fwd: ${s}`);

const fetchThread = (mailboxId: string, threadId: string) =>
  fetchDashboardJson<ThreadData>(`/api/dashboard/mailboxes/${mailboxId}/threads/${threadId}`, "Could not load this thread");

export function ThreadView({
  mailboxId,
  mailboxAddress,
  threadId,
  initial,
  canWrite,
  onSent,
}: {
  mailboxId: string;
  mailboxAddress: string;
  threadId: string;
  initial: ThreadData | null;
  canWrite: boolean;
  onSent: (sent: Sent) => void;
}) {
  const queryClient = useQueryClient();
  const { data: thread, error, isPending, refetch } = useQuery({
    queryKey: ["thread", mailboxId, threadId],
    queryFn: () => fetchThread(mailboxId, threadId),
    initialData: initial?.id === threadId ? initial : undefined,
    refetchOnWindowFocus: true,
    // Sends in flight change status within seconds; poll while any is queued or delayed.
    refetchInterval: (query) => (query.state.data?.messages.some((m) => m.status === "queued" || m.status === "delayed") ? 3000 : false),
  });
  const filing = useActionForm();
  const [composing, setComposing] = useState<ComposeMode | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["thread", mailboxId, threadId] });
    void queryClient.invalidateQueries({ queryKey: ["mail", mailboxId] });
  };

  if (isPending) return <p className="text-sm text-slate-500" role="status">Loading the thread…</p>;
  if (error || !thread) {
    return (
      <div className="flex flex-col items-start gap-2 text-sm" role="alert">
        <p className="text-red-800">{error?.message ?? "This thread was not found."}</p>
        <button type="button" className={secondaryButtonClass} onClick={() => void refetch()}>
          Try again
        </button>
      </div>
    );
  }

  const unread = thread.messages.filter((m) => m.direction === "inbound" && !m.read);
  const setRead = (messages: MessageDto[], read: boolean) =>
    filing.run(
      () => updateMessagesAction({ mailboxId, messageIds: messages.map((m) => m.id), changes: { read } }),
      () => {
        refresh();
        return read ? "Marked as read." : "Marked as unread.";
      },
    );

  return (
    <div className="flex min-w-0 flex-col gap-4" data-testid="thread-view">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="min-w-0 text-lg font-semibold [overflow-wrap:anywhere]">{thread.subject || "(no subject)"}</h3>
        {canWrite && (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={filing.pending}
            onClick={() => setRead(unread.length ? unread : thread.messages, unread.length > 0)}
          >
            {unread.length ? "Mark thread as read" : "Mark thread as unread"}
          </button>
        )}
      </div>
      <ActionFeedback error={filing.error} notice={filing.notice} />
      {thread.messages.map((m) => (
        <MessageCard
          key={m.id}
          mailboxId={mailboxId}
          message={m}
          deliveries={thread.deliveries[m.id] ?? []}
          canWrite={canWrite}
          onReply={(replyAll) => {
            const primary = m.direction === "outbound" ? m.to : m.replyTo.length ? m.replyTo : [m.from];
            const all = replyAll ? [...primary, ...(m.direction === "outbound" ? m.cc : [...m.to, ...m.cc])] : primary;
            const self = mailboxAddress.toLowerCase();
            const seen = new Set<string>();
            const names = all.filter((p) => {
              const key = p.address.toLowerCase();
              if (key === self || seen.has(key)) return false;
              seen.add(key);
              return true;
            });
            setComposing({ kind: "reply", messageId: m.id, replyAll, recipients: names.map(show).join(", ") || mailboxAddress, subject: reSubject(m.subject) });
          }}
          onForward={() => setComposing({ kind: "forward", messageId: m.id, subject: fwdSubject(m.subject) })}
          onSetRead={(read) => setRead([m], read)}
          onLabelsChanged={refresh}
          composer={
            composing && "messageId" in composing && composing.messageId === m.id ? (
              <ComposeForm
                key={`${composing.kind}-${composing.kind === "reply" && composing.replyAll}`}
                mailboxId={mailboxId}
                mode={composing}
                onCancel={() => setComposing(null)}
                onSent={(sent) => {
                  setComposing(null);
                  refresh();
                  onSent(sent);
                }}
              />
            ) : null
          }
        />
      ))}
    </div>
  );
}

function MessageCard({
  mailboxId,
  message: m,
  deliveries,
  canWrite,
  onReply,
  onForward,
  onSetRead,
  onLabelsChanged,
  composer,
}: {
  mailboxId: string;
  message: MessageDto;
  deliveries: DeliveryAttemptItem[];
  canWrite: boolean;
  onReply: (replyAll: boolean) => void;
  onForward: () => void;
  onSetRead: (read: boolean) => void;
  onLabelsChanged: () => void;
  composer: React.ReactNode;
}) {
  return (
    <article className="min-w-0 rounded border border-slate-200" aria-label={`Message from ${m.from.address}`} data-testid="message" data-message-id={m.id}>
      <header className="flex flex-col gap-1 border-b border-slate-100 px-3 py-2 text-sm">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className={`min-w-0 [overflow-wrap:anywhere] ${isUnread(m) ? "font-semibold" : "font-medium"}`}>
            {isUnread(m) && <span className="mr-1 inline-block h-2 w-2 rounded-full bg-sky-500" aria-label="unread" />}
            {show(m.from)}
          </span>
          <span className="flex flex-wrap items-center gap-2 text-slate-500">
            <span>{m.direction === "inbound" ? "Received" : "Sent"}</span>
            <MessageStatus status={m.status} />
            <span>{formatDateTime(m.createdAt)}</span>
          </span>
        </div>
        <div className="text-slate-500 [overflow-wrap:anywhere]">To: {m.to.map(show).join(", ") || "–"}</div>
        {m.cc.length > 0 && <div className="text-slate-500 [overflow-wrap:anywhere]">Cc: {m.cc.map(show).join(", ")}</div>}
        {m.statusReason && <div className="text-red-700">{m.statusReason}</div>}
        {m.direction === "outbound" && <DeliveryHistory status={m.status} attempts={deliveries} />}
      </header>
      <SecurityBanner flags={m.security?.flags ?? []} />
      <div className="p-3">
        {m.html ? (
          <MessageHtml html={m.html} title={`Message ${m.subject}`} />
        ) : (
          <pre className="whitespace-pre-wrap font-sans text-sm [overflow-wrap:anywhere]" data-testid="message-text">
            {m.text ?? ""}
          </pre>
        )}
        {m.attachments.length > 0 && (
          <ul className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Attachments">
            {m.attachments.map((a) => (
              <li key={a.id} className="min-w-0">
                <a
                  className="inline-block max-w-full rounded border border-slate-300 px-2 py-1 [overflow-wrap:anywhere] hover:bg-slate-50"
                  href={`/api/dashboard/mailboxes/${mailboxId}/messages/${m.id}/attachments/${a.id}`}
                >
                  {a.filename} ({Math.ceil(a.size / 1024)} KB)
                </a>
              </li>
            ))}
          </ul>
        )}
        <Labels mailboxId={mailboxId} message={m} canWrite={canWrite} onChanged={onLabelsChanged} />
        {canWrite && (
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="button" className={secondaryButtonClass} onClick={() => onReply(false)}>
              Reply
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => onReply(true)}>
              Reply all
            </button>
            <button type="button" className={secondaryButtonClass} onClick={onForward}>
              Forward
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => onSetRead(!m.read)}>
              {m.read ? "Mark unread" : "Mark read"}
            </button>
          </div>
        )}
        {composer && <div className="mt-3">{composer}</div>}
      </div>
    </article>
  );
}

function DeliveryHistory({ status, attempts }: { status: string; attempts: DeliveryAttemptItem[] }) {
  return (
    <details className="text-slate-600" data-testid="delivery-history">
      <summary className="cursor-pointer select-none">
        Delivery history ({attempts.length} attempt{attempts.length === 1 ? "" : "s"})
      </summary>
      {attempts.length === 0 ? (
        <p className="mt-1 text-xs">
          {status === "queued" ? "Queued: the outbox hands it to the provider within seconds." : "No provider call recorded."}
        </p>
      ) : (
        <ol className="mt-1 flex flex-col gap-1 text-xs">
          {attempts.map((a) => (
            <li key={a.attempt} className="[overflow-wrap:anywhere]">
              #{a.attempt} · {a.outcome}
              {a.httpStatus ? ` · HTTP ${a.httpStatus}` : ""} · {formatDateTime(a.createdAt)}
              {a.error ? ` · ${a.error}` : ""}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function Labels({ mailboxId, message, canWrite, onChanged }: { mailboxId: string; message: MessageDto; canWrite: boolean; onChanged: () => void }) {
  const { pending, error, run } = useActionForm();
  const save = (labels: string[]) =>
    run(
      () => updateMessagesAction({ mailboxId, messageIds: [message.id], changes: { labels } }),
      () => onChanged(),
    );
  if (!canWrite && message.labels.length === 0) return null;
  return (
    <div className="mt-3 flex flex-col gap-2">
      <ul className="flex flex-wrap items-center gap-2 text-xs" aria-label="Labels">
        {message.labels.map((label) => (
          <li key={label} className="inline-flex items-center gap-1 rounded-full border border-slate-300 bg-slate-50 px-2 py-0.5" data-testid="label">
            {label}
            {canWrite && (
              <button
                type="button"
                aria-label={`Remove label ${label}`}
                className="text-slate-500 hover:text-slate-900"
                disabled={pending}
                onClick={() => save(message.labels.filter((l) => l !== label))}
              >
                ×
              </button>
            )}
          </li>
        ))}
        {canWrite && (
          <li>
            <form
              className="flex items-center gap-1"
              onSubmit={(event) => {
                event.preventDefault();
                const form = event.currentTarget;
                const label = String(new FormData(form).get("label") ?? "").trim();
                if (!label) return;
                form.reset();
                save([...message.labels, label]);
              }}
            >
              <input name="label" aria-label="Add a label" placeholder="Add label" maxLength={64} className={`${inputClass} w-28 py-1 text-xs`} />
            </form>
          </li>
        )}
      </ul>
      <ActionFeedback error={error} />
    </div>
  );
}

const FLAG_TEXT: Record<MessageDto["security"]["flags"][number], string> = {
  hidden_text: "It contains text a reader would not see (invisible characters or HTML hidden by styling).",
  link_text_mismatch: "A link's text names a different site than the one it opens.",
  display_name_imitates_address: "The sender's name shows an address or site that is not the real sender.",
  prompt_injection: "It contains phrasing aimed at an AI agent (e.g. “ignore previous instructions”).",
};

/** Advisory screening (SPEC §13): what was found, in our words; the message itself is unchanged. */
function SecurityBanner({ flags }: { flags: MessageDto["security"]["flags"] }) {
  if (flags.length === 0) return null;
  return (
    <div role="alert" data-testid="security-banner" className="border-b border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">Be careful with this message</p>
      <ul className="mt-1 list-disc pl-5">
        {flags.map((f) => (
          <li key={f} data-flag={f} className="[overflow-wrap:anywhere]">
            {FLAG_TEXT[f]}
          </li>
        ))}
      </ul>
    </div>
  );
}
