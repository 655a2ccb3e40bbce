"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import type { KeyListItem } from "@/lib/keys/list-keys";
import { revokeKeyAction } from "@/app/(dashboard)/keys/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { formatDateTime } from "@/components/ui/format";
import { tableClass, tdClass, thClass } from "@/components/ui/styles";

export function KeyTable({
  keys,
  canManage,
  showMailbox,
  emptyText,
}: {
  keys: KeyListItem[];
  canManage: boolean;
  showMailbox: boolean;
  emptyText: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} />
      <div className="overflow-x-auto">
        <table className={tableClass}>
          <thead>
            <tr>
              <th className={thClass}>Key</th>
              {showMailbox && <th className={thClass}>Mailbox</th>}
              <th className={thClass}>Role</th>
              <th className={thClass}>Status</th>
              <th className={thClass}>Expires</th>
              <th className={thClass}>Last used</th>
              <th className={thClass}>Requests / min</th>
              <th className={thClass}>Created by</th>
              {canManage && <th className={thClass}>Actions</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.map((key) => (
              <tr key={key.id} data-testid="key-row" data-key-status={key.status}>
                <td className={tdClass}>
                  <code className="whitespace-nowrap font-mono text-xs" data-testid="key-display">
                    {key.prefix}…{key.last4}
                  </code>
                  {key.name && <div className="text-xs text-slate-500">{key.name}</div>}
                </td>
                {showMailbox && (
                  <td className={tdClass}>
                    {key.mailbox ? (
                      <Link href={`/mailboxes/${key.mailbox.id}`} className="underline">
                        {key.mailbox.address}
                      </Link>
                    ) : (
                      "–"
                    )}
                  </td>
                )}
                <td className={tdClass}>{key.role}</td>
                <td className={tdClass}>
                  <KeyStatus status={key.status} />
                </td>
                <td className={tdClass}>{key.expiresAt ? formatDateTime(key.expiresAt) : "never"}</td>
                <td className={tdClass}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "never"}</td>
                <td className={tdClass}>{key.requestsPerMinute}</td>
                <td className={tdClass}>{key.createdByLabel ?? "–"}</td>
                {canManage && (
                  <td className={tdClass}>
                    {key.status !== "revoked" && (
                      <ConfirmButton
                        label="Revoke"
                        confirmLabel="Revoke key"
                        question={`Revoke ${key.prefix}…${key.last4}? Requests with it fail at once.`}
                        disabled={pending}
                        onConfirm={() =>
                          startTransition(async () => {
                            setError(null);
                            const result = await revokeKeyAction({ keyId: key.id });
                            if (!result.ok) setError(result.error.message);
                            router.refresh();
                          })
                        }
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {keys.length === 0 && <p className="py-6 text-center text-sm text-slate-500">{emptyText}</p>}
      </div>
    </div>
  );
}

function KeyStatus({ status }: { status: KeyListItem["status"] }) {
  const tone =
    status === "active"
      ? "bg-emerald-50 text-emerald-800 border-emerald-200"
      : status === "expired"
        ? "bg-amber-50 text-amber-800 border-amber-200"
        : "bg-slate-100 text-slate-600 border-slate-200";
  return <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}>{status}</span>;
}
