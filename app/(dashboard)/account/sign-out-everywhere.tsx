"use client";

import { signOutEverywhereAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, secondaryButtonClass } from "@/components/ui/styles";

export function SignOutEverywhere() {
  const { pending, error, run } = useActionForm();
  return (
    <section className={`${cardClass} max-w-lg`} aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="mb-2 text-base font-semibold">
        Sessions
      </h2>
      <p className="mb-4 text-sm text-slate-600">
        Signs out every browser where you are signed in, this one included. Anyone who used your session has to sign in again.
      </p>
      <ActionFeedback error={error} />
      <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => run(() => signOutEverywhereAction())}>
        Sign out everywhere
      </button>
    </section>
  );
}
