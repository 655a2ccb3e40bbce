"use client";

import { useRouter } from "next/navigation";
import { updateMailboxSettingsAction } from "../actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function MailboxSettingsForm({
  mailboxId,
  displayName,
  sendPerMinute,
  sendPerDay,
  sendPolicy,
  caps,
}: {
  mailboxId: string;
  displayName: string | null;
  sendPerMinute: number;
  sendPerDay: number;
  sendPolicy: "open" | "approval" | "approval_new_recipients";
  caps: { maxSendPerMinute: number; maxSendPerDay: number };
}) {
  const { pending, error, notice, run } = useActionForm();
  const router = useRouter();
  return (
    <section className={cardClass} aria-labelledby="mailbox-settings-heading">
      <h2 id="mailbox-settings-heading" className="mb-4 text-base font-semibold">
        Settings and limits
      </h2>
      <form
        className="grid grid-cols-1 gap-4 md:grid-cols-3"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          run(
            () =>
              updateMailboxSettingsAction({
                mailboxId,
                changes: {
                  displayName: String(data.get("displayName") ?? "") || null,
                  limits: { sendPerMinute: Number(data.get("sendPerMinute")), sendPerDay: Number(data.get("sendPerDay")) },
                  sendPolicy: String(data.get("sendPolicy")) as typeof sendPolicy,
                },
              }),
            () => {
              router.refresh();
              return "Saved.";
            },
          );
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="settings-display-name" className={labelClass}>
            Display name
          </label>
          <input id="settings-display-name" name="displayName" defaultValue={displayName ?? ""} maxLength={200} className={inputClass} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="settings-per-minute" className={labelClass}>
            Emails per minute (at most {caps.maxSendPerMinute})
          </label>
          <input
            id="settings-per-minute"
            name="sendPerMinute"
            type="number"
            min={0}
            max={caps.maxSendPerMinute}
            required
            defaultValue={sendPerMinute}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="settings-per-day" className={labelClass}>
            Emails per day (at most {caps.maxSendPerDay})
          </label>
          <input
            id="settings-per-day"
            name="sendPerDay"
            type="number"
            min={0}
            max={caps.maxSendPerDay}
            required
            defaultValue={sendPerDay}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1 md:col-span-3">
          <label htmlFor="settings-send-policy" className={labelClass}>
            Send policy
          </label>
          <select id="settings-send-policy" name="sendPolicy" defaultValue={sendPolicy} className={inputClass}>
            <option value="open">Open: the agent sends on its own</option>
            <option value="approval">Approval: every send waits for an owner or admin</option>
            <option value="approval_new_recipients">New recipients: a send to an address never exchanged mail with waits</option>
          </select>
          <p className="text-xs text-slate-500">Waiting sends are listed on the Approvals page; they use no sending limit until approved.</p>
        </div>
        <div className="flex flex-col gap-2 md:col-span-3">
          <ActionFeedback error={error} notice={notice} />
          <div>
            <button type="submit" className={primaryButtonClass} disabled={pending}>
              Save settings
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
