"use client";

import { useActionState } from "react";
import Link from "next/link";
import { signInWithPassword, type SignInState } from "./actions";
import { FormError } from "@/components/ui/form-message";
import { inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function SignInForm({ initialError, next, email }: { initialError: string | null; next?: string; email?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, {
    error: initialError,
    email: email ?? "",
  });
  return (
    <form action={action} className="flex flex-col gap-4">
      <FormError message={state.error} />
      {next && <input type="hidden" name="next" value={next} />}
      <div className="flex flex-col gap-1">
        <label htmlFor="email" className={labelClass}>
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required defaultValue={state.email} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="password" className={labelClass}>
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
      </div>
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-sm text-slate-600">
        No account yet?{" "}
        <Link href="/sign-up" className="font-medium text-slate-900 underline">
          Create one
        </Link>
      </p>
    </form>
  );
}
