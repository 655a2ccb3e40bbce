"use client";

// One form for the four ways to write from the dashboard: a new message, a reply, a
// reply to all and a forward. Each submits a server action with a one-time token as
// its Idempotency-Key, so a double click sends one email.
import { useState } from "react";
import { composeAction, forwardAction, replyAction } from "./mail-actions";
import { newFormToken } from "@/components/mail/form-token";
import { ActionFeedback, useActionForm, type ActionOutcome } from "@/components/ui/use-action-form";
import { inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

export type ComposeMode =
  | { kind: "new" }
  | { kind: "reply"; messageId: string; replyAll: boolean; recipients: string; subject: string }
  | { kind: "forward"; messageId: string; subject: string };

export type Sent = { id: string; threadId: string; status: string; to: string[] };

/** A refusal the user can act on gets the next step added to its message. */
function withNextStep<T>(result: ActionOutcome<T>): ActionOutcome<T> {
  if (result.ok || result.error.code !== "recipient_suppressed") return result;
  return { ...result, error: { ...result.error, message: `${result.error.message}. If the address can receive mail again, remove it under Suppressions.` } };
}

/** "a@x.test, Ann <b@y.test>" → one entry per address; commas inside <> or quotes do not split. */
function splitAddresses(value: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "<") angled = true;
    else if (ch === ">") angled = false;
    if ((ch === "," || ch === ";") && !quoted && !angled) {
      if (current.trim()) out.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

const TITLES = { new: "New message", reply: "Reply", forward: "Forward" } as const;

export function ComposeForm({ mailboxId, mode, onSent, onCancel }: { mailboxId: string; mode: ComposeMode; onSent: (sent: Sent) => void; onCancel: () => void }) {
  const [token, setToken] = useState(newFormToken);
  const { pending, error, run } = useActionForm();
  const prefix = `${mode.kind}-${"messageId" in mode ? mode.messageId : "new"}`;
  const title = mode.kind === "reply" && mode.replyAll ? "Reply all" : TITLES[mode.kind];
  return (
    <form
      aria-label={title}
      className="flex flex-col gap-3 rounded border border-slate-300 bg-slate-50 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const text = String(data.get("text") ?? "");
        const field = (name: string) => splitAddresses(String(data.get(name) ?? ""));
        const submit = () => {
          if (mode.kind === "reply") {
            return replyAction({ mailboxId, messageId: mode.messageId, idempotencyKey: token, reply: { text, replyAll: mode.replyAll } });
          }
          const cc = field("cc");
          if (mode.kind === "forward") {
            return forwardAction({
              mailboxId,
              messageId: mode.messageId,
              idempotencyKey: token,
              forward: { to: field("to"), ...(cc.length ? { cc } : {}), ...(text ? { text } : {}) },
            });
          }
          return composeAction({
            mailboxId,
            idempotencyKey: token,
            message: { to: field("to"), ...(cc.length ? { cc } : {}), subject: String(data.get("subject") ?? ""), text },
          });
        };
        run(
          async () => withNextStep<Sent>(await submit()),
          (sent) => {
            setToken(newFormToken());
            onSent(sent);
          },
        );
      }}
    >
      <p className="text-sm font-semibold">{title}</p>
      {mode.kind === "reply" ? (
        <p className="text-sm text-slate-600 [overflow-wrap:anywhere]">
          To: {mode.recipients} · {mode.subject}
        </p>
      ) : (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${prefix}-to`} className={labelClass}>
              To
            </label>
            <input id={`${prefix}-to`} name="to" required placeholder="name@example.com, another@example.com" className={inputClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${prefix}-cc`} className={labelClass}>
              Cc (optional)
            </label>
            <input id={`${prefix}-cc`} name="cc" className={inputClass} />
          </div>
          {mode.kind === "new" ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${prefix}-subject`} className={labelClass}>
                Subject
              </label>
              <input id={`${prefix}-subject`} name="subject" required maxLength={998} className={inputClass} />
            </div>
          ) : (
            <p className="text-sm text-slate-600 [overflow-wrap:anywhere]">Subject: {mode.subject}</p>
          )}
        </>
      )}
      <div className="flex flex-col gap-1">
        <label htmlFor={`${prefix}-text`} className={labelClass}>
          {mode.kind === "forward" ? "Note (optional)" : "Message"}
        </label>
        <textarea id={`${prefix}-text`} name="text" rows={5} required={mode.kind !== "forward"} className={inputClass} />
      </div>
      <ActionFeedback error={error} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Sending…" : "Send"}
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
