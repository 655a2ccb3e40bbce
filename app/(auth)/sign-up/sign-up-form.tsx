"use client";

import { useActionState } from "react";
import Link from "next/link";
import { signUpAction, type SignUpState } from "./actions";
import { FormError } from "@/components/ui/form-message";
import { inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function SignUpForm({ passwordMinLength, region }: { passwordMinLength: number; region: string }) {
  const [state, action, pending] = useActionState<SignUpState, FormData>(signUpAction, {
    error: null,
    sentTo: null,
    values: { name: "", email: "", tenantName: "" },
  });
  if (state.sentTo) {
    return (
      <div className="flex flex-col gap-3" role="status">
        <h2 className="text-base font-semibold">Check your email</h2>
        <p className="text-sm text-slate-600">
          We sent a link to <strong className="break-all">{state.sentTo}</strong>. Open it to verify your address, then sign in.
        </p>
        <Link href="/sign-in" className="text-sm font-medium text-slate-900 underline">
          Go to sign-in
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="flex flex-col gap-4">
      <FormError message={state.error} />
      <div className="flex flex-col gap-1">
        <label htmlFor="tenantName" className={labelClass}>
          Organisation name
        </label>
        <input id="tenantName" name="tenantName" required maxLength={100} defaultValue={state.values.tenantName} className={inputClass} />
        <p className="text-xs text-slate-500">Its data will live in region {region}.</p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="name" className={labelClass}>
          Your name
        </label>
        <input id="name" name="name" autoComplete="name" maxLength={100} defaultValue={state.values.name} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="email" className={labelClass}>
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required defaultValue={state.values.email} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="password" className={labelClass}>
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={passwordMinLength}
          aria-describedby="password-hint"
          className={inputClass}
        />
        <p id="password-hint" className="text-xs text-slate-500">
          At least {passwordMinLength} characters.
        </p>
      </div>
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
      <p className="text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-slate-900 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
