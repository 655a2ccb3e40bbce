"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { setTenantSendingAction } from "./actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";

/** Pause (or resume) all sending of the tenant: one click, then a confirmation. */
export function SendingSwitch({ sending, canChange }: { sending: "active" | "paused"; canChange: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const next = sending === "active" ? "paused" : "active";
  return (
    <div className="flex flex-col items-start gap-2">
      <p data-testid="sending-state" className={`text-sm font-medium ${sending === "paused" ? "text-red-700" : "text-emerald-700"}`}>
        {sending === "paused" ? "Sending is paused: sends are refused (403 sending_paused) and queued mail waits." : "Sending is active."}
      </p>
      {canChange ? (
        <ConfirmButton
          label={sending === "active" ? "Pause all sending" : "Resume sending"}
          confirmLabel={sending === "active" ? "Pause sending" : "Resume sending"}
          question={
            sending === "active"
              ? "Stop every mailbox of this tenant from sending? Queued mail waits until you resume."
              : "Resume sending? Mail queued while paused goes out now."
          }
          disabled={pending}
          onConfirm={() =>
            startTransition(async () => {
              setError(null);
              const result = await setTenantSendingAction({ sending: next });
              if (!result.ok) setError(result.error.message);
              router.refresh();
            })
          }
        />
      ) : (
        <p className="text-sm text-slate-500">Only an owner can pause or resume sending.</p>
      )}
      <FormError message={error} />
    </div>
  );
}
