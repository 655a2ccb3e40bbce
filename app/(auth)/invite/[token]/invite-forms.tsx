"use client";

import { useActionState } from "react";
import { acceptInvitationAction, signUpWithInvitationAction, type InviteState } from "./actions";
import { FormError } from "@/components/ui/form-message";
import { inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function AcceptInvitationForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(acceptInvitationAction, { error: null });
  return (
    <form action={action} className="flex flex-col gap-3">
      <FormError message={state.error} />
      <input type="hidden" name="token" value={token} />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        Accept the invitation
      </button>
    </form>
  );
}

export function SignUpWithInvitationForm({ token, email, passwordMinLength }: { token: string; email: string; passwordMinLength: number }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(signUpWithInvitationAction, { error: null });
  return (
    <form action={action} className="flex flex-col gap-4">
      <FormError message={state.error} />
      <input type="hidden" name="token" value={token} />
      <div className="flex flex-col gap-1">
        <label htmlFor="invite-email" className={labelClass}>
          Email
        </label>
        <input id="invite-email" value={email} readOnly className={`${inputClass} bg-slate-50`} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="name" className={labelClass}>
          Your name
        </label>
        <input id="name" name="name" autoComplete="name" maxLength={100} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="password" className={labelClass}>
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="new-password" required minLength={passwordMinLength} className={inputClass} />
        <p className="text-xs text-slate-500">At least {passwordMinLength} characters.</p>
      </div>
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating your account…" : "Create account and join"}
      </button>
    </form>
  );
}
