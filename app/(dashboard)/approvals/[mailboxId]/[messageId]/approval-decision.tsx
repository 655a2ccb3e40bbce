"use client";

// Approve as written, edit then approve (recipients, subject, body; validated like a
// send on the server), or reject with a reason. The server decides who may (owner or
// admin) and whether the message is still waiting; this only asks.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { approveMessageAction, rejectMessageAction } from "../../actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, dangerButtonClass, inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

type Draft = { to: string; cc: string; bcc: string; subject: string; text: string; html: string };

/** "a@x.test, B <b@y.test>" or one per line → a list; empty pieces dropped. */
const addresses = (value: string) =>
  value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function ApprovalDecision({ mailboxId, messageId, initial }: { mailboxId: string; messageId: string; initial: Draft }) {
  const router = useRouter();
  const form = useActionForm();
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState("");

  const approve = (edits?: Draft) =>
    form.run(
      () =>
        approveMessageAction({
          mailboxId,
          messageId,
          edits: edits && {
            to: addresses(edits.to),
            cc: addresses(edits.cc),
            bcc: addresses(edits.bcc),
            subject: edits.subject,
            ...(edits.text ? { text: edits.text } : {}),
            ...(edits.html ? { html: edits.html } : {}),
          },
        }),
      () => {
        router.refresh();
        return "Approved: the message is queued for delivery.";
      },
    );

  return (
    <section className={cardClass} aria-labelledby="decision-heading">
      <h2 id="decision-heading" className="mb-3 text-base font-semibold">
        Decide
      </h2>
      {!editing ? (
        <div className="flex flex-wrap gap-2">
          <button type="button" className={primaryButtonClass} disabled={form.pending} onClick={() => approve()}>
            Approve and send
          </button>
          <button type="button" className={secondaryButtonClass} disabled={form.pending} onClick={() => setEditing(true)}>
            Edit, then approve
          </button>
        </div>
      ) : (
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            const get = (name: keyof Draft) => String(data.get(name) ?? "");
            approve({ to: get("to"), cc: get("cc"), bcc: get("bcc"), subject: get("subject"), text: get("text"), html: get("html") });
          }}
        >
          {(["to", "cc", "bcc"] as const).map((field) => (
            <div key={field} className="flex flex-col gap-1">
              <label htmlFor={`edit-${field}`} className={labelClass}>
                {field === "to" ? "To" : field === "cc" ? "Cc" : "Bcc"} (separate addresses with commas)
              </label>
              <input id={`edit-${field}`} name={field} defaultValue={initial[field]} className={inputClass} required={field === "to"} />
            </div>
          ))}
          <div className="flex flex-col gap-1">
            <label htmlFor="edit-subject" className={labelClass}>
              Subject
            </label>
            <input id="edit-subject" name="subject" defaultValue={initial.subject} maxLength={998} required className={inputClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="edit-text" className={labelClass}>
              Text
            </label>
            <textarea id="edit-text" name="text" defaultValue={initial.text} rows={8} className={inputClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="edit-html" className={labelClass}>
              HTML (leave empty for a text-only message)
            </label>
            <textarea id="edit-html" name="html" defaultValue={initial.html} rows={6} className={`${inputClass} font-mono text-xs`} />
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="submit" className={primaryButtonClass} disabled={form.pending}>
              Approve the edited message
            </button>
            <button type="button" className={secondaryButtonClass} disabled={form.pending} onClick={() => setEditing(false)}>
              Cancel editing
            </button>
          </div>
        </form>
      )}
      <form
        className="mt-5 flex flex-col gap-2 border-t border-slate-100 pt-4"
        onSubmit={(event) => {
          event.preventDefault();
          form.run(
            () => rejectMessageAction({ mailboxId, messageId, ...(reason.trim() ? { reason } : {}) }),
            () => {
              router.refresh();
              return "Rejected: it will not be sent.";
            },
          );
        }}
      >
        <label htmlFor="reject-reason" className={labelClass}>
          Reason for rejecting (optional; the agent sees it)
        </label>
        <input id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} className={inputClass} />
        <div>
          <button type="submit" className={dangerButtonClass} disabled={form.pending}>
            Reject
          </button>
        </div>
      </form>
      <div className="mt-3">
        <ActionFeedback error={form.error} notice={form.notice} />
      </div>
    </section>
  );
}
