"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { MemberListItem } from "@/lib/members/list-members";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "./actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-message";
import { formatDate } from "@/components/ui/format";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass, tableClass, tdClass, thClass } from "@/components/ui/styles";

const ROLES = ["owner", "admin", "viewer"] as const;

export function MembersPanel({
  members,
  canManage,
  isOwner,
  currentUserId,
}: {
  members: MemberListItem[];
  canManage: boolean;
  isOwner: boolean;
  currentUserId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<{ email: string; temporaryPassword: string | null } | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const grantable: readonly string[] = isOwner ? ROLES : ROLES.filter((r) => r !== "owner");

  const run = (work: () => Promise<{ ok: boolean; error?: { message: string } }>) =>
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) setError(result.error?.message ?? "Something went wrong");
      router.refresh();
    });

  return (
    <div className="flex flex-col gap-6">
      {canManage && (
        <section className={cardClass} aria-labelledby="add-member-heading">
          <h2 id="add-member-heading" className="mb-4 text-base font-semibold">
            Add a member
          </h2>
          {added ? (
            <div role="status" className="flex flex-col gap-3 text-sm">
              <p>
                Added <strong>{added.email}</strong>.
              </p>
              {added.temporaryPassword && (
                <>
                  <p>
                    This is a new account. Give them this temporary password; <strong>it will not be shown again</strong>.
                  </p>
                  <div className="flex flex-wrap items-center gap-2">
                    <code data-testid="temporary-password" className="rounded-md bg-slate-900 px-3 py-2 font-mono text-emerald-200">
                      {added.temporaryPassword}
                    </code>
                    <CopyButton value={added.temporaryPassword} />
                  </div>
                </>
              )}
              <div>
                <button type="button" className={secondaryButtonClass} onClick={() => setAdded(null)}>
                  Done
                </button>
              </div>
            </div>
          ) : (
            <form
              className="flex flex-wrap items-end gap-4"
              onSubmit={(event) => {
                event.preventDefault();
                const data = new FormData(event.currentTarget);
                const email = String(data.get("email") ?? "");
                startTransition(async () => {
                  setError(null);
                  const result = await addMemberAction({ email, role: String(data.get("role") ?? "viewer") });
                  if (!result.ok) {
                    setError(result.error.message);
                    return;
                  }
                  setAdded({ email, temporaryPassword: result.data.temporaryPassword });
                  router.refresh();
                });
              }}
            >
              <div className="flex min-w-64 flex-col gap-1">
                <label htmlFor="member-email" className={labelClass}>
                  Email
                </label>
                <input id="member-email" name="email" type="email" required className={inputClass} />
              </div>
              <div className="flex flex-col gap-1">
                <label htmlFor="member-role" className={labelClass}>
                  Role
                </label>
                <select id="member-role" name="role" defaultValue="viewer" className={inputClass}>
                  {grantable.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className={primaryButtonClass} disabled={pending}>
                Add member
              </button>
            </form>
          )}
        </section>
      )}
      <section className={cardClass} aria-labelledby="member-list-heading">
        <h2 id="member-list-heading" className="mb-4 text-base font-semibold">
          Members
        </h2>
        <FormError message={error} />
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>Email</th>
                <th className={thClass}>Name</th>
                <th className={thClass}>Role</th>
                <th className={thClass}>Since</th>
                {canManage && <th className={thClass}>Actions</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((m) => {
                const editable = canManage && (isOwner || m.role !== "owner");
                return (
                  <tr key={m.id} data-testid="member-row">
                    <td className={tdClass}>
                      {m.user.email}
                      {m.user.id === currentUserId && <span className="ml-2 text-xs text-slate-500">(you)</span>}
                    </td>
                    <td className={tdClass}>{m.user.name ?? "–"}</td>
                    <td className={tdClass}>
                      {editable ? (
                        <>
                          <label htmlFor={`role-${m.id}`} className="sr-only">
                            Role of {m.user.email}
                          </label>
                          <select
                            id={`role-${m.id}`}
                            value={m.role}
                            disabled={pending}
                            className={inputClass}
                            onChange={(e) => {
                              const role = e.target.value as (typeof ROLES)[number];
                              run(() => changeMemberRoleAction({ membershipId: m.id, role }));
                            }}
                          >
                            {grantable.includes(m.role) ? null : <option value={m.role}>{m.role}</option>}
                            {grantable.map((r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ))}
                          </select>
                        </>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td className={tdClass}>{formatDate(m.createdAt)}</td>
                    {canManage && (
                      <td className={tdClass}>
                        {editable && (
                          <ConfirmButton
                            label="Remove"
                            confirmLabel="Remove member"
                            question={`Remove ${m.user.email} from this tenant?`}
                            disabled={pending}
                            onConfirm={() => run(() => removeMemberAction({ membershipId: m.id }))}
                          />
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
