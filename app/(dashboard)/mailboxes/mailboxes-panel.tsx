"use client";

import { useDeferredValue, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import type { MailboxListItem } from "@/lib/mailboxes/list-mailboxes-with-keys";
import { createMailboxAction, deleteMailboxAction, setMailboxStatusAction } from "./actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { StatusBadge } from "@/components/mailboxes/status-badge";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass, tableClass, tdClass, thClass } from "@/components/ui/styles";

type Page = { data: MailboxListItem[]; nextCursor: string | null };

async function fetchMailboxes(q: string, cursor: string | null): Promise<Page> {
  const params = new URLSearchParams({ q, ...(cursor ? { cursor } : {}) });
  const res = await fetch(`/api/dashboard/mailboxes?${params}`, { cache: "no-store" });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load mailboxes");
  return body as Page;
}

export function MailboxesPanel({
  tenantId,
  initial,
  domains,
  canManage,
}: {
  tenantId: string;
  initial: Page;
  domains: string[];
  canManage: boolean;
}) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const queryClient = useQueryClient();
  const queryKey = ["mailboxes", tenantId, q];
  const { data, error, isFetching, hasNextPage, fetchNextPage, isFetchingNextPage } = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchMailboxes(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: q === "" ? { pages: [initial], pageParams: [null] } : undefined,
  });
  const mailboxes = data?.pages.flatMap((p) => p.data) ?? [];
  const [actionError, setActionError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["mailboxes", tenantId] });
    router.refresh();
  };

  const run = (work: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) =>
    startTransition(async () => {
      setActionError(null);
      const result = await work();
      if (!result.ok) setActionError(result.error.message);
      refresh();
    });

  return (
    <div className="flex flex-col gap-6">
      {canManage && <CreateMailboxForm domains={domains} onCreated={refresh} />}
      <section className={cardClass} aria-labelledby="mailbox-list-heading">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
          <h2 id="mailbox-list-heading" className="text-base font-semibold">
            All mailboxes
          </h2>
          <div className="flex w-full max-w-sm flex-col gap-1">
            <label htmlFor="mailbox-search" className={labelClass}>
              Search by address, display name or client ref
            </label>
            <input
              id="mailbox-search"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className={inputClass}
            />
          </div>
        </div>
        <FormError message={actionError} />
        {error && <FormError message={error.message} />}
        <div className="overflow-x-auto" aria-busy={isFetching || pending}>
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>Address</th>
                <th className={thClass}>Display name</th>
                <th className={thClass}>Client ref</th>
                <th className={thClass}>Status</th>
                <th className={thClass}>Active keys</th>
                {canManage && <th className={thClass}>Actions</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {mailboxes.map((m) => (
                <tr key={m.id} data-testid="mailbox-row">
                  <td className={tdClass}>
                    <Link href={`/mailboxes/${m.id}`} className="font-medium text-slate-900 underline">
                      {m.address}
                    </Link>
                  </td>
                  <td className={tdClass}>{m.displayName ?? "–"}</td>
                  <td className={tdClass}>{m.clientRef ?? "–"}</td>
                  <td className={tdClass}>
                    <StatusBadge status={m.status} />
                  </td>
                  <td className={tdClass}>{m.activeKeys}</td>
                  {canManage && (
                    <td className={`${tdClass} flex flex-wrap gap-2`}>
                      {m.status === "active" ? (
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          disabled={pending}
                          onClick={() => run(() => setMailboxStatusAction({ mailboxId: m.id, status: "suspended" }))}
                        >
                          Suspend
                        </button>
                      ) : (
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          disabled={pending}
                          onClick={() => run(() => setMailboxStatusAction({ mailboxId: m.id, status: "active" }))}
                        >
                          Resume
                        </button>
                      )}
                      <ConfirmButton
                        label="Delete"
                        confirmLabel="Delete mailbox"
                        question={`Delete ${m.address}? Its mail becomes unreadable and its keys stop working.`}
                        disabled={pending}
                        onConfirm={() => run(() => deleteMailboxAction({ mailboxId: m.id }))}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {data && mailboxes.length === 0 && (
            <p className="py-6 text-center text-sm text-slate-500">{q ? `No mailbox matches "${q}".` : "No mailboxes yet."}</p>
          )}
          {hasNextPage && (
            <button
              type="button"
              className={`${secondaryButtonClass} mt-3`}
              disabled={isFetchingNextPage}
              onClick={() => void fetchNextPage()}
            >
              {isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}

function CreateMailboxForm({ domains, onCreated }: { domains: string[]; onCreated: () => void }) {
  const { pending, error, notice, run } = useActionForm();
  const optional = (value: FormDataEntryValue | null) => String(value ?? "").trim() || undefined;
  return (
    <section className={cardClass} aria-labelledby="create-mailbox-heading">
      <h2 id="create-mailbox-heading" className="mb-4 text-base font-semibold">
        Create a mailbox
      </h2>
      <form
        className="grid grid-cols-1 gap-4 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          run(
            () =>
              createMailboxAction({
                localPart: String(data.get("localPart") ?? "").trim(),
                domain: optional(data.get("domain")),
                displayName: optional(data.get("displayName")),
                clientRef: optional(data.get("clientRef")),
              }),
            (created) => {
              form.reset();
              onCreated();
              return `Created ${created.address}.`;
            },
          );
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="localPart" className={labelClass}>
            Local part (before the @)
          </label>
          <input id="localPart" name="localPart" required maxLength={64} className={inputClass} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="domain" className={labelClass}>
            Domain
          </label>
          <select id="domain" name="domain" required className={inputClass}>
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="displayName" className={labelClass}>
            Display name (optional)
          </label>
          <input id="displayName" name="displayName" maxLength={200} className={inputClass} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="clientRef" className={labelClass}>
            Client ref: your customer id (optional)
          </label>
          <input id="clientRef" name="clientRef" maxLength={200} className={inputClass} />
        </div>
        <div className="flex flex-col gap-2 md:col-span-2">
          <ActionFeedback error={error} notice={notice} />
          <div>
            <button type="submit" className={primaryButtonClass} disabled={pending}>
              {pending ? "Creating…" : "Create mailbox"}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
