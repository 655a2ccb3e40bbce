"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { addListEntryAction, removeListEntryAction } from "../../guardrails/actions";
import { FormError } from "@/components/ui/form-message";
import { inputClass, secondaryButtonClass } from "@/components/ui/styles";

export function ListEditor(props: {
  /** Absent: the tenant-wide list. */
  mailboxId?: string;
  direction: "send" | "receive";
  kind: "allow" | "block";
  title: string;
  help: string;
  entries: string[];
  canManage: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [value, setValue] = useState("");
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const list = { ...(props.mailboxId ? { mailboxId: props.mailboxId } : {}), direction: props.direction, kind: props.kind };
  const run = (action: () => Promise<{ ok: boolean; error?: { message: string } }>, after?: () => void) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) setError(result.error?.message ?? "Something went wrong");
      else after?.();
      router.refresh();
    });
  return (
    <div aria-label={props.title} role="group">
      <h3 className="text-sm font-semibold">{props.title}</h3>
      <p className="mb-2 text-xs text-slate-500">{props.help}</p>
      <ul className="mb-2 flex flex-col gap-1 text-sm">
        {props.entries.length === 0 && <li className="text-slate-500">Empty</li>}
        {props.entries.map((entry) => (
          <li key={entry} className="flex items-center justify-between gap-2">
            <span className="truncate font-mono">{entry}</span>
            {props.canManage && (
              <button type="button" className="text-xs text-red-700 hover:underline" disabled={pending} onClick={() => run(() => removeListEntryAction({ ...list, entry }))}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {props.canManage && (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            run(() => addListEntryAction({ ...list, entry: value }), () => setValue(""));
          }}
        >
          <input className={inputClass} value={value} onChange={(e) => setValue(e.target.value)} placeholder="bob@x.test or @x.test" aria-label={`Add to ${props.title}`} />
          <button type="submit" className={secondaryButtonClass} disabled={pending || value.trim() === ""}>
            Add
          </button>
        </form>
      )}
      <FormError message={error} />
    </div>
  );
}
