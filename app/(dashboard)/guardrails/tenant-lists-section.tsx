import Link from "next/link";
import { listTenantListEntries } from "@/lib/guardrails/lists";
import { countQuarantined } from "@/lib/guardrails/quarantine";
import type { ListDirection, ListKind } from "@/lib/guardrails/schemas";
import { ListEditor } from "../mailboxes/[id]/list-editor";
import { cardClass } from "@/components/ui/styles";

const LISTS: { direction: ListDirection; kind: ListKind; title: string; help: string }[] = [
  { direction: "send", kind: "block", title: "Tenant send block list", help: "No mailbox may write to these addresses or @domains." },
  { direction: "send", kind: "allow", title: "Tenant send allow list", help: "When not empty, every mailbox may write only to these." },
  { direction: "receive", kind: "block", title: "Tenant receive block list", help: "Mail from these senders is dropped in every mailbox." },
  { direction: "receive", kind: "allow", title: "Tenant receive allow list", help: "When not empty, mail from anyone else is held in quarantine." },
];

/** The tenant-wide allow and block lists (SPEC §13): every mailbox obeys them. Owners and admins edit them. */
export async function TenantListsSection({ tenantId, canManage }: { tenantId: string; canManage: boolean }) {
  const [lists, held] = await Promise.all([
    Promise.all(LISTS.map(async (list) => ({ ...list, entries: (await listTenantListEntries({ tenantId, ...list, limit: 100 })).data.map((e) => e.entry) }))),
    countQuarantined(tenantId),
  ]);
  return (
    <section className={cardClass} aria-labelledby="tenant-lists-heading">
      <h2 id="tenant-lists-heading" className="text-base font-semibold">
        Tenant-wide allow and block lists
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        Every mailbox obeys these as well as its own lists (on its Settings tab). A refused send answers <code>422 recipient_not_allowed</code>;
        also available as <code>/api/v1/lists/…</code> with a management key.{" "}
        <Link href="/quarantine" className="underline">
          Quarantine: {held} held message{held === 1 ? "" : "s"}
        </Link>
      </p>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {lists.map((list) => (
          <ListEditor key={`${list.direction}-${list.kind}`} {...list} canManage={canManage} />
        ))}
      </div>
    </section>
  );
}
