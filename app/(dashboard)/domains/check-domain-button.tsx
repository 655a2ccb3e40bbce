"use client";

import { useRouter } from "next/navigation";
import { checkDomainAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { secondaryButtonClass } from "@/components/ui/styles";

export function CheckDomainButton({ domainId }: { domainId: string }) {
  const { pending, error, notice, run } = useActionForm();
  const router = useRouter();
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={pending}
        onClick={() =>
          run(
            () => checkDomainAction({ domainId }),
            (checked) => {
              router.refresh();
              return checked.status === "verified" ? `${checked.name} is verified.` : `The TXT record of ${checked.name} was not found yet.`;
            },
          )
        }
      >
        {pending ? "Checking…" : "Check now"}
      </button>
      <ActionFeedback error={error} notice={notice} />
    </div>
  );
}
