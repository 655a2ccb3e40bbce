"use client";

import { resendVerificationAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, secondaryButtonClass } from "@/components/ui/styles";

export function VerifyAddress({ email }: { email: string }) {
  const { pending, error, notice, run } = useActionForm();
  return (
    <section className={`${cardClass} max-w-lg`} aria-labelledby="verify-heading">
      <h2 id="verify-heading" className="mb-2 text-base font-semibold">
        Verify your address
      </h2>
      <p className="mb-4 text-sm text-slate-600">
        <span className="break-all">{email}</span> is not verified yet. Until it is, you reach only the tenant you created.
      </p>
      <ActionFeedback error={error} notice={notice} />
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={pending}
        onClick={() => run(() => resendVerificationAction(), () => "A new link is on its way.")}
      >
        Send a new link
      </button>
    </section>
  );
}
