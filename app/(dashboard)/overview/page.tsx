import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { getOverview } from "@/lib/tenants/get-overview";
import { PageHeader } from "../page-header";
import { cardClass } from "@/components/ui/styles";

export const metadata = { title: "Overview · Sairaph Mail" };

export default async function OverviewPage() {
  const session = await getPageSession();
  const counts = await getOverview({ tenantId: session.tenant.id });
  const tiles = [
    { label: "Active mailboxes", value: counts.activeMailboxes, href: "/mailboxes" },
    { label: "Suspended mailboxes", value: counts.suspendedMailboxes, href: "/mailboxes" },
    { label: "Active mailbox keys", value: counts.mailboxKeys, href: "/keys" },
    { label: "Active management keys", value: counts.managementKeys, href: "/management-keys" },
    { label: "Domains", value: counts.domains, href: "/domains" },
    { label: "Members", value: counts.members, href: "/members" },
    { label: "Messages stored", value: counts.messages, href: "/mailboxes" },
  ];
  return (
    <>
      <PageHeader title={session.tenant.name} description="Everything this tenant runs on Sairaph Mail.">
        <p
          data-testid="data-region"
          className="rounded-full border border-sky-200 bg-sky-50 px-3 py-1 text-sm font-medium text-sky-900"
          title="This tenant's rows are stored only in this region's database."
        >
          Data region: {session.tenant.region}
        </p>
      </PageHeader>
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {tiles.map((tile) => (
          <li key={tile.label}>
            <Link href={tile.href} className={`${cardClass} block hover:border-slate-400`}>
              <p className="text-sm text-slate-500">{tile.label}</p>
              <p className="mt-1 text-3xl font-semibold">{tile.value}</p>
            </Link>
          </li>
        ))}
      </ul>
      <section className={`${cardClass} mt-6`} aria-labelledby="residency-heading">
        <h2 id="residency-heading" className="text-base font-semibold">
          Where this tenant&apos;s data lives
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Region <strong>{session.tenant.region}</strong>, fixed when the tenant was created. Mailboxes, messages, keys and the
          audit log of this tenant are stored only in that region&apos;s database; message content is encrypted with each
          mailbox&apos;s own key.
        </p>
      </section>
    </>
  );
}
