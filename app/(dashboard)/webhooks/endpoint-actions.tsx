"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { deleteWebhookAction, resendDeliveryAction, rotateWebhookSecretAction, sendTestEventAction, setWebhookEnabledAction } from "./actions";
import { SecretOnce } from "./webhook-creator";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError, FormNotice } from "@/components/ui/form-message";
import { secondaryButtonClass } from "@/components/ui/styles";

type Result = { ok: true } | { ok: false; error: { message: string } };

/** Enable/disable, send a test event, rotate the secret (shown once), delete. */
export function EndpointActions({ endpointId, enabled, afterDelete }: { endpointId: string; enabled: boolean; afterDelete?: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const router = useRouter();
  const run = (action: () => Promise<Result>, done?: string) =>
    startTransition(async () => {
      setError(null);
      setNotice(null);
      const result = await action();
      if (!result.ok) return setError(result.error.message);
      if (done) setNotice(done);
      router.refresh();
    });

  if (secret) return <SecretOnce secret={secret} onDone={() => setSecret(null)} title="The new signing secret" />;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => run(() => setWebhookEnabledAction({ endpointId, enabled: !enabled }))}>
          {enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" className={secondaryButtonClass} disabled={pending || !enabled} onClick={() => run(() => sendTestEventAction({ endpointId }), "Test event queued.")}>
          Send test event
        </button>
        <ConfirmButton
          label="Rotate secret"
          confirmLabel="Rotate"
          question="The old secret keeps signing for 24 hours. Rotate?"
          disabled={pending}
          onConfirm={() =>
            startTransition(async () => {
              setError(null);
              const result = await rotateWebhookSecretAction({ endpointId });
              if (!result.ok) return setError(result.error.message);
              setSecret(result.data.secret);
              router.refresh();
            })
          }
        />
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete endpoint"
          question="Delete this endpoint and its pending deliveries?"
          disabled={pending}
          onConfirm={() =>
            startTransition(async () => {
              const result = await deleteWebhookAction({ endpointId });
              if (!result.ok) return setError(result.error.message);
              if (afterDelete) router.push(afterDelete);
              else router.refresh();
            })
          }
        />
      </div>
      <FormError message={error} />
      <FormNotice message={notice} />
    </div>
  );
}

export function ResendButton({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  return (
    <span className="inline-flex flex-col gap-1">
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await resendDeliveryAction({ endpointId, deliveryId });
            if (!result.ok) return setError(result.error.message);
            router.refresh();
          })
        }
      >
        Resend now
      </button>
      <FormError message={error} />
    </span>
  );
}
