"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { MemberListItem } from "@/lib/members/list-members";
import type { InvitationListItem } from "@/lib/members/invite-member";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from "./actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { formatDate } from "@/components/ui/format";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass, tableClass, tdClass, thClass } from "@/components/ui/styles";

const ROLES = ["owner", "admin", "viewer"] as const;

export function MembersPanel({
  members,
  invitations,
  canManage,
  isOwner,
  currentUserId,
}: {
  members: MemberListItem[];
  invitations: InvitationListItem[];
  canManage: boolean;
  isOwner: boolean;
  currentUserId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [invited, setInvited] = useState<string | null>(null);
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
        <section className={cardClass} aria-labelledby="invite-member-heading">
          <h2 id="invite-member-heading" className="mb-4 text-base font-semibold">
            Invite a member
          </h2>
          {invited ? (
            <div role="status" className="flex flex-col gap-3 text-sm">
              <p>
                Invitation sent to <strong className="break-all">{invited}</strong>. They join when they open the link and sign in or
                create an account with that address.
              </p>
              <div>
                <button type="button" className={secondaryButtonClass} onClick={() => setInvited(null)}>
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
                  const result = await inviteMemberAction({ email, role: String(data.get("role") ?? "viewer") });
                  if (!result.ok) {
                    setError(result.error.message);
                    return;
                  }
                  setInvited(result.data.email);
                  router.refresh();
                });
              }}
            >
              <div className="flex w-full min-w-0 flex-col gap-1 sm:w-auto sm:min-w-64">
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
                Send invitation
              </button>
            </form>
          )}
        </section>
      )}
      {invitations.length > 0 && (
        <section className={cardClass} aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="mb-4 text-base font-semibold">
            Pending invitations
          </h2>
          <ul className="divide-y divide-slate-100">
            {invitations.map((i) => (
              <li key={i.id} data-testid="invitation-row" className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span className="break-all">
                  {i.email} · {i.role} · {i.expired ? "expired" : `until ${formatDate(i.expiresAt)}`}
                </span>
                {canManage && (isOwner || i.role !== "owner") && (
                  <span className="flex gap-2">
                    <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => run(() => resendInvitationAction({ invitationId: i.id }))}>
                      Resend
                    </button>
                    <ConfirmButton
                      label="Revoke"
                      confirmLabel="Revoke invitation"
                      question={`Revoke the invitation of ${i.email}?`}
                      disabled={pending}
                      onConfirm={() => run(() => revokeInvitationAction({ invitationId: i.id }))}
                    />
                  </span>
                )}
              </li>
            ))}
          </ul>
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
