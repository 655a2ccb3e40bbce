"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { createWebhookAction } from "./actions";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-message";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

/** Creates an endpoint and shows its signing secret exactly once (it lives only in this component's state). */
export function WebhookCreator({ eventTypes, mailboxes }: { eventTypes: readonly string[]; mailboxes: { id: string; address: string }[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  if (secret) {
    return <SecretOnce secret={secret} onDone={() => setSecret(null)} title="Your endpoint's signing secret" />;
  }
  return (
    <section className={cardClass} aria-labelledby="create-webhook-heading">
      <h2 id="create-webhook-heading" className="mb-4 text-base font-semibold">
        Add an endpoint
      </h2>
      <form
        className="grid grid-cols-1 gap-4 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const input = {
            url: String(data.get("url") ?? ""),
            description: String(data.get("description") ?? "") || null,
            eventTypes: data.getAll("eventTypes").map(String) as never[],
            mailboxIds: data.getAll("mailboxIds").map(String),
          };
          startTransition(async () => {
            setError(null);
            const result = await createWebhookAction(input);
            if (!result.ok) return setError(result.error.message);
            form.reset();
            setSecret(result.data.secret);
            router.refresh();
          });
        }}
      >
        <label className="md:col-span-2">
          <span className={labelClass}>Endpoint URL</span>
          <input name="url" type="url" required maxLength={2048} placeholder="https://example.com/webhooks/sairaph" className={inputClass} />
        </label>
        <label className="md:col-span-2">
          <span className={labelClass}>Description (optional)</span>
          <input name="description" maxLength={500} className={inputClass} />
        </label>
        <fieldset>
          <legend className={labelClass}>Event types (none ticked: all)</legend>
          <div className="mt-2 grid grid-cols-1 gap-1 text-sm">
            {eventTypes.map((type) => (
              <label key={type} className="inline-flex items-center gap-2">
                <input type="checkbox" name="eventTypes" value={type} /> <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          <span className={labelClass}>Mailboxes (none selected: all)</span>
          <select name="mailboxIds" multiple size={Math.min(10, Math.max(3, mailboxes.length))} className={inputClass}>
            {mailboxes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.address}
              </option>
            ))}
          </select>
        </label>
        <div className="md:col-span-2 flex flex-col gap-2">
          <FormError message={error} />
          <div>
            <button type="submit" className={primaryButtonClass} disabled={pending}>
              {pending ? "Adding…" : "Add endpoint"}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}

export function SecretOnce({ secret, onDone, title }: { secret: string; onDone: () => void; title: string }) {
  return (
    <section className={`${cardClass} border-emerald-300`} aria-labelledby="webhook-secret-heading">
      <h2 id="webhook-secret-heading" className="text-base font-semibold">
        {title}
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Verify every delivery with it (Standard Webhooks, e.g. the <code>svix</code> or <code>standardwebhooks</code> libraries).{" "}
        <strong>It will not be shown again.</strong>
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="webhook-secret" className="break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-200">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy secret" />
      </div>
      <button type="button" className={`${secondaryButtonClass} mt-4`} onClick={onDone}>
        Done
      </button>
    </section>
  );
}
