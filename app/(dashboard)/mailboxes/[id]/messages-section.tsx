// PLACEHOLDER — the mailbox's threads and messages (SPEC §8: sanitised inbound HTML
// in a sandboxed iframe, attachments, suppression list, usage). Another engineer
// fills this in; keep the export and its props so the detail page needs no change.
import { cardClass } from "@/components/ui/styles";

export function MessagesSection({ tenantId, mailboxId }: { tenantId: string; mailboxId: string }) {
  return (
    <section className={cardClass} aria-labelledby="messages-heading" data-tenant-id={tenantId} data-mailbox-id={mailboxId}>
      <h2 id="messages-heading" className="text-base font-semibold">
        Messages
      </h2>
      <p className="mt-2 text-sm text-slate-500">No messages to show yet.</p>
    </section>
  );
}
