"use client";

// The mailbox's mail: the thread list (search, filters, pages) beside the open
// thread. Both are TanStack queries refetched when the window regains focus; the
// server renders the first page and the open thread so a full load shows them.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import type { MailListRow } from "@/lib/messages/list-mailbox-mail";
import type { ThreadView as ThreadData } from "@/lib/messages/get-thread-with-deliveries";
import { MessageStatus } from "@/components/mail/message-status";
import { fetchDashboardJson } from "@/components/fetch-dashboard-json";
import { FormError, FormNotice } from "@/components/ui/form-message";
import { formatDateTime } from "@/components/ui/format";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";
import { ThreadView } from "./thread-view";
import { ComposeForm, type Sent } from "./compose-form";

type Page = { data: MailListRow[]; nextCursor: string | null };
type Filters = { q: string; direction: string; status: string; unread: string; label: string };

const NO_FILTERS: Filters = { q: "", direction: "", status: "", unread: "", label: "" };
const STATUSES = ["received", "queued", "sent", "delivered", "delayed", "bounced", "complained", "failed", "pending_approval", "rejected"];

async function fetchMail(mailboxId: string, filters: Filters, cursor: string | null): Promise<Page> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (cursor) params.set("cursor", cursor);
  return fetchDashboardJson<Page>(`/api/dashboard/mailboxes/${mailboxId}/mail?${params}`, "Could not load the mail");
}

export function MailView({
  mailboxId,
  mailboxAddress,
  canWrite,
  initialList,
  threadId,
  initialThread,
}: {
  mailboxId: string;
  mailboxAddress: string;
  canWrite: boolean;
  initialList: Page;
  threadId: string | null;
  initialThread: ThreadData | null;
}) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [composing, setComposing] = useState(false);
  const [sentNotice, setSentNotice] = useState<string | null>(null);
  const router = useRouter();
  const queryClient = useQueryClient();
  const filtered = Object.values(filters).some(Boolean);
  const { data, error, isFetching, hasNextPage, fetchNextPage, isFetchingNextPage, refetch } = useInfiniteQuery({
    queryKey: ["mail", mailboxId, filters],
    queryFn: ({ pageParam }) => fetchMail(mailboxId, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: filtered ? undefined : { pages: [initialList], pageParams: [null] },
    refetchOnWindowFocus: true,
  });
  const rows = data?.pages.flatMap((p) => p.data) ?? [];
  const base = `/mailboxes/${mailboxId}`;

  const onSent = (sent: Sent) => {
    setSentNotice(
      sent.status === "pending_approval"
        ? `Held for approval (this mailbox's send policy): nothing goes to ${sent.to.join(", ")} until an owner or admin approves it on the Approvals page.`
        : `Queued for ${sent.to.join(", ")}. It appears in the thread with its delivery status.`,
    );
    void queryClient.invalidateQueries({ queryKey: ["mail", mailboxId] });
    router.push(`${base}?thread=${sent.threadId}`, { scroll: false });
  };

  const list = (
    <section className={`${cardClass} min-w-0 !p-0`} aria-label="Mail list">
      <form
        className="flex flex-col gap-2 border-b border-slate-100 p-3"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setFilters({
            q: String(form.get("q") ?? "").trim(),
            direction: String(form.get("direction") ?? ""),
            status: String(form.get("status") ?? ""),
            unread: String(form.get("unread") ?? ""),
            label: String(form.get("label") ?? "").trim(),
          });
        }}
      >
        <div className="flex gap-2">
          <label htmlFor="mail-search" className="sr-only">
            Search mail
          </label>
          <input id="mail-search" name="q" type="search" maxLength={500} placeholder="Search subject, people, text" className={inputClass} />
          <button type="submit" className={secondaryButtonClass}>
            Search
          </button>
        </div>
        <div className="grid grid-cols-2 gap-2">
          <Select name="direction" label="Direction" options={[["", "In and out"], ["inbound", "Received"], ["outbound", "Sent"]]} />
          <Select name="status" label="Status" options={[["", "Any status"], ...STATUSES.map((s) => [s, s] as [string, string])]} />
          <Select name="unread" label="Read state" options={[["", "Read & unread"], ["true", "Unread only"], ["false", "Read only"]]} />
          <div className="flex flex-col gap-1">
            <label htmlFor="mail-label" className="sr-only">
              Label
            </label>
            <input id="mail-label" name="label" maxLength={64} placeholder="Label" className={`${inputClass} py-1.5`} />
          </div>
        </div>
        {filtered && (
          <button
            type="reset"
            className="self-start text-xs text-slate-600 underline"
            onClick={() => setFilters(NO_FILTERS)}
          >
            Clear search and filters
          </button>
        )}
      </form>
      {error && (
        <div className="flex flex-col items-start gap-2 p-3">
          <FormError message={`${error.message}.`} />
          <button type="button" className={secondaryButtonClass} onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      )}
      <ul aria-label={filtered ? "Matching messages" : "Threads"} aria-busy={isFetching} className="flex flex-col divide-y divide-slate-100">
        {rows.map((row) => (
          <li key={row.key}>
            <Link
              href={`${base}?thread=${row.threadId}`}
              scroll={false}
              aria-current={row.threadId === threadId ? "true" : undefined}
              data-unread={row.unread ? "true" : undefined}
              className={`block px-3 py-2 text-sm hover:bg-slate-50 ${row.threadId === threadId ? "bg-slate-100" : ""}`}
            >
              <span className="flex items-center justify-between gap-2">
                <span className={`min-w-0 truncate ${row.unread ? "font-semibold" : ""}`}>
                  {row.unread && <span className="mr-1 inline-block h-2 w-2 rounded-full bg-sky-500" aria-label="unread" />}
                  {row.subject || "(no subject)"}
                </span>
                <span className="flex shrink-0 items-center gap-1">
                  {row.flagged && (
                    <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900" data-testid="flagged" title="Screening flagged this mail: open it for details">
                      flagged
                    </span>
                  )}
                  {row.status && <MessageStatus status={row.status} />}
                </span>
              </span>
              <span className="block truncate text-xs text-slate-500">
                {row.who}
                {row.messageCount !== null && row.messageCount > 1 ? ` · ${row.messageCount}` : ""} · {formatDateTime(row.at)}
              </span>
              <span className="block truncate text-xs text-slate-400">{row.snippet}</span>
            </Link>
          </li>
        ))}
      </ul>
      {data && rows.length === 0 && (
        <p className="p-4 text-sm text-slate-500" data-testid="mail-empty">
          {filtered
            ? "Nothing matches. Try fewer words or clear the filters."
            : `No mail yet. Mail sent to ${mailboxAddress}, or sent from it with an API key${canWrite ? " or with New message" : ""}, shows up here.`}
        </p>
      )}
      {hasNextPage && (
        <div className="p-3">
          <button type="button" className={secondaryButtonClass} disabled={isFetchingNextPage} onClick={() => void fetchNextPage()}>
            {isFetchingNextPage ? "Loading…" : "Older mail"}
          </button>
        </div>
      )}
    </section>
  );

  return (
    <div className="flex flex-col gap-4">
      {canWrite && (
        <div className="flex flex-col gap-3">
          {composing ? (
            <ComposeForm
              mailboxId={mailboxId}
              mode={{ kind: "new" }}
              onCancel={() => setComposing(false)}
              onSent={(sent) => {
                setComposing(false);
                onSent(sent);
              }}
            />
          ) : (
            <div>
              <button type="button" className={primaryButtonClass} onClick={() => setComposing(true)}>
                New message
              </button>
            </div>
          )}
        </div>
      )}
      <FormNotice message={sentNotice} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        {/* On a phone the open thread takes the screen; the list is one tap back. */}
        <div className={threadId ? "hidden lg:block" : ""}>{list}</div>
        <section className={`${cardClass} min-w-0 ${threadId ? "" : "hidden lg:block"}`} aria-label="Thread">
          {threadId ? (
            <>
              <Link href={base} scroll={false} className="mb-3 inline-block text-sm text-slate-600 underline lg:hidden">
                ← All mail
              </Link>
              <ThreadView
                mailboxId={mailboxId}
                mailboxAddress={mailboxAddress}
                threadId={threadId}
                initial={initialThread}
                canWrite={canWrite}
                onSent={onSent}
              />
            </>
          ) : (
            <p className="text-sm text-slate-500">Choose a thread to read it{canWrite ? ", reply or forward it" : ""}.</p>
          )}
        </section>
      </div>
    </div>
  );
}

function Select({ name, label, options }: { name: string; label: string; options: [string, string][] }) {
  const id = `mail-${name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={`${labelClass} sr-only`}>
        {label}
      </label>
      <select id={id} name={name} className={`${inputClass} py-1.5`} aria-label={label}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
