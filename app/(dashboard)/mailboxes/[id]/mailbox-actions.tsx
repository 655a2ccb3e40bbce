"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { deleteMailboxAction, setMailboxStatusAction } from "../actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-message";
import { secondaryButtonClass } from "@/components/ui/styles";

export function MailboxActions({ mailboxId, address, status }: { mailboxId: string; address: string; status: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const result = await setMailboxStatusAction({ mailboxId, status: status === "active" ? "suspended" : "active" });
              if (!result.ok) setError(result.error.message);
              router.refresh();
            })
          }
        >
          {status === "active" ? "Suspend" : "Resume"}
        </button>
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete mailbox"
          question={`Delete ${address}? Its mail becomes unreadable and its keys stop working.`}
          disabled={pending}
          onConfirm={() =>
            startTransition(async () => {
              setError(null);
              const result = await deleteMailboxAction({ mailboxId });
              if (!result.ok) {
                setError(result.error.message);
                return;
              }
              router.push("/mailboxes");
              router.refresh();
            })
          }
        />
      </div>
      <FormError message={error} />
    </div>
  );
}
