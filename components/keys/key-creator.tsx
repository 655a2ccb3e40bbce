"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { createKeyAction, type CreatedKey } from "@/app/(dashboard)/keys/actions";
import { CopyButton } from "@/components/ui/copy-button";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

type MailboxRole = "read" | "read_write" | "management";

/**
 * Issues a key and shows its secret exactly once. The secret lives only in this
 * component's state: it is gone after "Done", a navigation or a reload.
 */
export function KeyCreator({
  kind,
  mailboxes = [],
  fixedMailbox,
  expiryPresetsDays,
  defaultRequestsPerMinute,
}: {
  kind: "mailbox" | "tenant";
  mailboxes?: { id: string; address: string }[];
  fixedMailbox?: { id: string; address: string };
  expiryPresetsDays: readonly number[];
  defaultRequestsPerMinute: number;
}) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [expiry, setExpiry] = useState("none");
  const { pending, error, run } = useActionForm();
  const router = useRouter();
  const title = kind === "mailbox" ? "Create a mailbox key" : "Create a management key";
  const headingId = `create-key-heading-${kind}`;

  if (created) {
    return (
      <section className={`${cardClass} border-emerald-300`} aria-labelledby="new-key-heading">
        <h2 id="new-key-heading" className="text-base font-semibold">
          Your new key
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Copy it now and store it somewhere safe. <strong>It will not be shown again</strong>: Sairaph keeps only a hash.
        </p>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <code data-testid="key-secret" className="break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-200">
            {created.secret}
          </code>
          <CopyButton value={created.secret} label="Copy key" />
        </div>
        <button type="button" className={`${secondaryButtonClass} mt-4`} onClick={() => setCreated(null)}>
          Done
        </button>
      </section>
    );
  }

  return (
    <section className={cardClass} aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-4 text-base font-semibold">
        {title}
      </h2>
      <form
        className="grid grid-cols-1 gap-4 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const common = {
            name: String(data.get("name") ?? ""),
            expiry: String(data.get("expiry") ?? "none") as "none",
            expiresOn: String(data.get("expiresOn") ?? ""),
            requestsPerMinute: Number(data.get("requestsPerMinute") ?? defaultRequestsPerMinute),
          };
          run(
            () =>
              kind === "mailbox"
                ? createKeyAction({
                    kind: "mailbox",
                    mailboxId: fixedMailbox?.id ?? String(data.get("mailboxId") ?? ""),
                    role: String(data.get("role") ?? "read") as MailboxRole,
                    ...common,
                  })
                : createKeyAction({ kind: "tenant", ...common }),
            (key) => {
              setCreated(key);
              router.refresh();
            },
          );
        }}
      >
        {kind === "mailbox" && !fixedMailbox && (
          <div className="flex flex-col gap-1">
            <label htmlFor="key-mailbox" className={labelClass}>
              Mailbox
            </label>
            <select id="key-mailbox" name="mailboxId" required className={inputClass}>
              {mailboxes.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.address}
                </option>
              ))}
            </select>
          </div>
        )}
        {kind === "mailbox" && (
          <div className="flex flex-col gap-1">
            <label htmlFor="key-role" className={labelClass}>
              Role
            </label>
            <select id="key-role" name="role" defaultValue="read_write" className={inputClass}>
              <option value="read">read: list and read mail</option>
              <option value="read_write">read_write: also send, reply, mark read</option>
              <option value="management">management: also suppressions and settings</option>
            </select>
          </div>
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor={`key-name-${kind}`} className={labelClass}>
            Name (optional)
          </label>
          <input id={`key-name-${kind}`} name="name" maxLength={100} className={inputClass} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`key-expiry-${kind}`} className={labelClass}>
            Expiry
          </label>
          <select
            id={`key-expiry-${kind}`}
            name="expiry"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
            className={inputClass}
          >
            <option value="none">Never expires</option>
            {expiryPresetsDays.map((days) => (
              <option key={days} value={String(days)}>
                {days === 1 ? "1 day" : `${days} days`}
              </option>
            ))}
            <option value="date">On a date…</option>
          </select>
        </div>
        {expiry === "date" && (
          <div className="flex flex-col gap-1">
            <label htmlFor={`key-expires-on-${kind}`} className={labelClass}>
              Valid through (UTC date)
            </label>
            <input id={`key-expires-on-${kind}`} name="expiresOn" type="date" required className={inputClass} />
          </div>
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor={`key-rpm-${kind}`} className={labelClass}>
            Requests per minute
          </label>
          <input
            id={`key-rpm-${kind}`}
            name="requestsPerMinute"
            type="number"
            min={1}
            step={1}
            defaultValue={defaultRequestsPerMinute}
            required
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-2 md:col-span-2">
          <ActionFeedback error={error} />
          <div>
            <button type="submit" className={primaryButtonClass} disabled={pending || (kind === "mailbox" && !fixedMailbox && mailboxes.length === 0)}>
              {pending ? "Creating…" : "Create key"}
            </button>
          </div>
          {kind === "mailbox" && !fixedMailbox && mailboxes.length === 0 && (
            <p className="text-sm text-slate-500">Create a mailbox first.</p>
          )}
        </div>
      </form>
    </section>
  );
}
