"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { deleteQuarantinedAction, releaseQuarantinedAction } from "../guardrails/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { secondaryButtonClass } from "@/components/ui/styles";

/** Release (it becomes inbound mail, announced once) or delete one held message. */
export function QuarantineActions({ id, subject, after }: { id: string; subject: string; after?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const run = (action: () => Promise<{ ok: boolean; error?: { message: string } }>) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) {
        setError(result.error?.message ?? "Something went wrong");
        return;
      }
      if (after) router.push(after);
      router.refresh();
    });
  return (
    <div className="flex flex-col items-start gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => run(() => releaseQuarantinedAction({ id }))} aria-label={`Release ${subject}`}>
          Release
        </button>
        <ConfirmButton label="Delete" confirmLabel="Delete for good" question="Delete this held message?" disabled={pending} onConfirm={() => run(() => deleteQuarantinedAction({ id }))} />
      </div>
      <FormError message={error} />
    </div>
  );
}
