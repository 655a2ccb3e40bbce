"use client";

import { useActionState } from "react";
import { createTenantAction, type NewTenantState } from "./actions";
import { FormError } from "@/components/ui/form-message";
import { inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function NewTenantForm() {
  const [state, action, pending] = useActionState<NewTenantState, FormData>(createTenantAction, { error: null });
  return (
    <form action={action} className="flex flex-col gap-4">
      <FormError message={state.error} />
      <div className="flex flex-col gap-1">
        <label htmlFor="name" className={labelClass}>
          Organisation name
        </label>
        <input id="name" name="name" required maxLength={100} className={inputClass} />
      </div>
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Creating…" : "Create tenant"}
      </button>
    </form>
  );
}
