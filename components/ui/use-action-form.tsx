"use client";

import { useState, useTransition } from "react";
import { FormError, FormNotice } from "@/components/ui/form-message";

/** What a dashboard server action answers (runSessionAction's result, as the browser sees it). */
export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; error: { code?: string; message: string } };

/**
 * The pending / error / notice cycle every dashboard form repeats: `run` clears the
 * messages, awaits the action in a transition, shows its error, or hands the data
 * to `onSuccess`, whose returned text (if any) becomes the notice.
 */
export function useActionForm() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function run<T>(work: () => Promise<ActionOutcome<T>>, onSuccess?: (data: T) => string | void) {
    startTransition(async () => {
      setError(null);
      setNotice(null);
      const result = await work();
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      const message = onSuccess?.(result.data);
      if (message) setNotice(message);
    });
  }

  return { pending, error, notice, run, setError };
}

/** The error and notice lines of a form using useActionForm. */
export function ActionFeedback({ error, notice }: { error: string | null; notice?: string | null }) {
  return (
    <>
      <FormError message={error} />
      <FormNotice message={notice} />
    </>
  );
}
