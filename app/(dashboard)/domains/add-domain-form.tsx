"use client";

import { useRouter } from "next/navigation";
import { addDomainAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function AddDomainForm() {
  const { pending, error, notice, run } = useActionForm();
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
          run(
            () => addDomainAction({ domain }),
            (added) => {
              form.reset();
              router.refresh();
              return `Added ${added.name} (${added.status}).`;
            },
          );
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
        <ActionFeedback error={error} notice={notice} />
      </div>
    </section>
  );
}
