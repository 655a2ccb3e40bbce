"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { addDomainAction } from "./actions";
import { FormError, FormNotice } from "@/components/ui/form-message";
import { cardClass, inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function AddDomainForm() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  return (
    <section className={cardClass} aria-labelledby="add-domain-heading">
      <h2 id="add-domain-heading" className="mb-4 text-base font-semibold">
        Add a domain
      </h2>
      <form
        className="flex flex-wrap items-end gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const domain = String(new FormData(form).get("domain") ?? "");
          startTransition(async () => {
            setError(null);
            setNotice(null);
            const result = await addDomainAction({ domain });
            if (!result.ok) {
              setError(result.error.message);
              return;
            }
            setNotice(`Added ${result.data.name} (${result.data.status}).`);
            form.reset();
            router.refresh();
          });
        }}
      >
        <div className="flex min-w-72 flex-col gap-1">
          <label htmlFor="domain-name" className={labelClass}>
            Domain name
          </label>
          <input id="domain-name" name="domain" required placeholder="agents.example.com" className={inputClass} />
        </div>
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Adding…" : "Add domain"}
        </button>
      </form>
      <div className="mt-3 flex flex-col gap-2">
        <FormError message={error} />
        <FormNotice message={notice} />
      </div>
    </section>
  );
}
