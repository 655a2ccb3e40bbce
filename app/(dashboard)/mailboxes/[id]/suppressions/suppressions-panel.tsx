"use client";

import { useRouter } from "next/navigation";
import type { SuppressionDto } from "@/lib/suppression/schemas";
import { addSuppressionAction, removeSuppressionAction } from "../mail-actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { formatDateTime } from "@/components/ui/format";
import { inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function SuppressionsPanel({ mailboxId, suppressions, canManage }: { mailboxId: string; suppressions: SuppressionDto[]; canManage: boolean }) {
  const router = useRouter();
  const add = useActionForm();
  const remove = useActionForm();
  return (
    <div className="flex flex-col gap-4">
      {canManage && (
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const address = String(new FormData(form).get("address") ?? "").trim();
            add.run(
              () => addSuppressionAction({ mailboxId, suppression: { address, reason: "manual" } }),
              (result) => {
                form.reset();
                router.refresh();
                return result.created ? `${result.address} is suppressed: this mailbox will not send to it.` : `${result.address} was already suppressed.`;
              },
            );
          }}
        >
          <div className="flex min-w-0 flex-1 flex-col gap-1 sm:max-w-sm">
            <label htmlFor="suppress-address" className={labelClass}>
              Address to suppress
            </label>
            <input id="suppress-address" name="address" type="email" required maxLength={254} placeholder="someone@example.com" className={inputClass} />
          </div>
          <button type="submit" className={primaryButtonClass} disabled={add.pending}>
            {add.pending ? "Adding…" : "Suppress address"}
          </button>
        </form>
      )}
      <ActionFeedback error={add.error ?? remove.error} notice={add.notice ?? remove.notice} />
      {suppressions.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="suppressions-empty">
          No suppressed addresses.{canManage ? " Add one above to stop this mailbox from ever mailing it." : ""}
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-100 rounded border border-slate-200" aria-label="Suppressed addresses">
          {suppressions.map((s) => (
            <li key={s.address} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm" data-testid="suppression-row">
              <div className="min-w-0">
                <p className="font-medium [overflow-wrap:anywhere]">{s.address}</p>
                <p className="text-xs text-slate-500">
                  {s.reason} · since {formatDateTime(s.createdAt)}
                </p>
              </div>
              {canManage && (
                <ConfirmButton
                  label="Remove"
                  confirmLabel="Remove"
                  question={`Allow mail to ${s.address} again?`}
                  disabled={remove.pending}
                  onConfirm={() =>
                    remove.run(
                      () => removeSuppressionAction({ mailboxId, address: s.address }),
                      (removed) => {
                        router.refresh();
                        return `${removed.address} may receive mail again.`;
                      },
                    )
                  }
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
