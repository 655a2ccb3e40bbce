import { listListEntries } from "@/lib/guardrails/lists";
import type { ListDirection, ListKind } from "@/lib/guardrails/schemas";
import { ListEditor } from "./list-editor";
import { cardClass } from "@/components/ui/styles";

const LISTS: { direction: ListDirection; kind: ListKind; title: string; help: string }[] = [
  { direction: "send", kind: "block", title: "Send block list", help: "The agent may never write to these addresses or @domains." },
  { direction: "send", kind: "allow", title: "Send allow list", help: "When not empty, the agent may write only to these." },
  { direction: "receive", kind: "block", title: "Receive block list", help: "Mail from these senders is dropped, never stored." },
  { direction: "receive", kind: "allow", title: "Receive allow list", help: "When not empty, mail from anyone else is held in quarantine until an admin releases it." },
];

/** The mailbox's allow and block lists (SPEC §13), editable by owners and admins. */
export async function ListsSection({ tenantId, mailboxId, canManage }: { tenantId: string; mailboxId: string; canManage: boolean }) {
  const lists = await Promise.all(
    LISTS.map(async (list) => ({ ...list, entries: (await listListEntries({ tenantId, mailboxId, direction: list.direction, kind: list.kind, limit: 100 })).data.map((e) => e.entry) })),
  );
  return (
    <section className={cardClass} aria-labelledby="mailbox-lists-heading">
      <h2 id="mailbox-lists-heading" className="text-base font-semibold">
        Allow and block lists
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        Enforced on the server for every key of this mailbox, together with the tenant-wide lists on the Guardrails page. A refused send
        answers <code>422 recipient_not_allowed</code>.
      </p>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {lists.map((list) => (
          <ListEditor key={`${list.direction}-${list.kind}`} mailboxId={mailboxId} {...list} canManage={canManage} />
        ))}
      </div>
    </section>
  );
}
