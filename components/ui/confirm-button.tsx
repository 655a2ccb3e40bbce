"use client";

import { useState } from "react";
import { dangerButtonClass, secondaryButtonClass } from "@/components/ui/styles";

/** A destructive action in two steps: the first click asks, the second does it. */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
  disabled,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={secondaryButtonClass} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-2">
      <span className="text-sm text-slate-700">{question}</span>
      <button
        type="button"
        className={dangerButtonClass}
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className={secondaryButtonClass} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
