import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { getOverview, OVERVIEW_DAYS } from "@/lib/tenants/get-overview";
import { PageHeader } from "../page-header";
import { DailyMailChart } from "@/components/charts/daily-mail-chart";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";

export const metadata = { title: "Overview · Sairaph Mail" };

export default async function OverviewPage() {
  const session = await getPageSession();
  const { counts, today, daily, attention } = await getOverview({ tenantId: session.tenant.id });
  const tiles = [
    { label: "Sent today", value: today.sent, href: "/outbox" },
    { label: "Received today", value: today.received, href: "/mailboxes" },
    { label: "Active mailboxes", value: counts.activeMailboxes, href: "/mailboxes" },
    { label: "Active keys", value: counts.mailboxKeys + counts.managementKeys, href: "/keys" },
  ];
  const quiet =
    attention.failedSendsTotal === 0 &&
    attention.suppressionsAdded.length === 0 &&
    attention.expiringKeys.length === 0 &&
    attention.pendingDomains.length === 0 &&
    attention.failingWebhookEndpoints.length === 0 &&
    attention.pendingApprovals === 0;
  return (
    <>
      <PageHeader title={session.tenant.name} description="What needs your attention, and how mail is flowing.">
        <p
          data-testid="data-region"
          className="rounded-full border border-sky-200 bg-sky-50 px-3 py-1 text-sm font-medium text-sky-900"
          title="This tenant's rows are stored only in this region's database."
        >
          Data region: {session.tenant.region}
        </p>
      </PageHeader>
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((tile) => (
          <li key={tile.label}>
            <Link href={tile.href} className={`${cardClass} block hover:border-slate-400`}>
              <p className="text-sm text-slate-500">{tile.label}</p>
              <p className="mt-1 text-2xl font-semibold sm:text-3xl">{tile.value}</p>
            </Link>
          </li>
        ))}
      </ul>

      <section className={`${cardClass} mt-6`} aria-labelledby="attention-heading">
        <h2 id="attention-heading" className="text-base font-semibold">
          Needs attention
        </h2>
        {quiet ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="attention-none">
            Nothing needs you right now: no failed sends or bounces in the last 24 hours, no new suppressions this week, no key
            expiring within 7 days, every domain is verified and every webhook endpoint delivers.
          </p>
        ) : (
          <ul className="mt-3 flex flex-col divide-y divide-slate-100" data-testid="attention-list">
            {attention.failedSendsTotal > 0 && (
              <Attention
                title={`${attention.failedSendsTotal} failed, bounced or complained send${attention.failedSendsTotal === 1 ? "" : "s"} in the last 24 hours`}
                hint="Open the thread to see the delivery history; a hard bounce or complaint also suppresses the address."
              >
                {attention.failedSends.map((f) => (
                  <li key={f.id}>
                    <Link className="underline" href={`/mailboxes/${f.mailboxId}?thread=${f.threadId}`}>
                      {f.subject || "(no subject)"}
                    </Link>{" "}
                    <span className="text-slate-500">
                      from {f.mailboxAddress} · {f.status}
                      {f.reason ? ` · ${f.reason}` : ""} · {formatDateTime(new Date(f.at))}
                    </span>
                  </li>
                ))}
              </Attention>
            )}
            {attention.suppressionsAdded.length > 0 && (
              <Attention title="Suppressions added in the last 7 days" hint="Check them, and remove an address only if you know it can receive mail again.">
                {attention.suppressionsAdded.map((s) => (
                  <li key={s.mailboxId}>
                    <Link className="underline" href={`/mailboxes/${s.mailboxId}/suppressions`}>
                      {s.mailboxAddress}
                    </Link>{" "}
                    <span className="text-slate-500">
                      {s.count} address{s.count === 1 ? "" : "es"}
                    </span>
                  </li>
                ))}
              </Attention>
            )}
            {attention.expiringKeys.length > 0 && (
              <Attention title="API keys expiring within 7 days" hint="Issue a replacement and deploy it before the old key stops working.">
                {attention.expiringKeys.map((k) => (
                  <li key={k.id}>
                    <Link className="underline" href={k.kind === "tenant" ? "/management-keys" : "/keys"}>
                      {k.label}
                    </Link>{" "}
                    <span className="text-slate-500">
                      {k.mailboxAddress ?? "management key"} · expires {formatDateTime(new Date(k.expiresAt))}
                    </span>
                  </li>
                ))}
              </Attention>
            )}
            {attention.pendingApprovals > 0 && (
              <Attention title="Sends waiting for approval" hint="A mailbox's send policy holds these until an owner or admin approves or rejects them.">
                <li>
                  <Link className="underline" href="/approvals" data-testid="pending-approvals">
                    {attention.pendingApprovals === 1 ? "1 send is waiting" : `${attention.pendingApprovals} sends are waiting`}
                  </Link>
                </li>
              </Attention>
            )}
            {attention.pendingDomains.length > 0 && (
              <Attention title="Domains waiting for verification" hint="Publish the DNS records shown on the domains page; a pending domain neither sends nor receives.">
                {attention.pendingDomains.map((d) => (
                  <li key={d.id}>
                    <Link className="underline" href="/domains">
                      {d.name}
                    </Link>{" "}
                    <span className="text-slate-500">{d.status}</span>
                  </li>
                ))}
              </Attention>
            )}
            {attention.failingWebhookEndpoints.length > 0 && (
              <Attention title="Webhook endpoints failing" hint="Fix the endpoint (or its URL) and re-enable it; events wait and are retried.">
                {attention.failingWebhookEndpoints.map((w) => (
                  <li key={w.id}>
                    <Link className="underline" href={w.href}>
                      {w.url}
                    </Link>{" "}
                    <span className="text-slate-500">
                      {w.disabledReason ? `disabled: ${w.disabledReason}` : `failing since ${formatDateTime(w.failingSince)}`}
                    </span>
                  </li>
                ))}
              </Attention>
            )}
          </ul>
        )}
      </section>

      <section className={`${cardClass} mt-6`} aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="mb-3 text-base font-semibold">
          Mail in the last {OVERVIEW_DAYS} days
        </h2>
        <DailyMailChart data={daily} label={`Messages sent and received per day (UTC), last ${OVERVIEW_DAYS} days`} />
      </section>

      <section className={`${cardClass} mt-6`} aria-labelledby="residency-heading">
        <h2 id="residency-heading" className="text-base font-semibold">
          Where this tenant&apos;s data lives
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Region <strong>{session.tenant.region}</strong>, fixed when the tenant was created. Mailboxes, messages, keys and the
          audit log of this tenant are stored only in that region&apos;s database; message content is encrypted with each
          mailbox&apos;s own key. {counts.messages} messages in {counts.activeMailboxes + counts.suspendedMailboxes} mailboxes,{" "}
          {counts.domains} domain{counts.domains === 1 ? "" : "s"}, {counts.members} member{counts.members === 1 ? "" : "s"}.
        </p>
      </section>
    </>
  );
}

function Attention({ title, hint, children }: { title: string; hint: string; children: React.ReactNode }) {
  return (
    <li className="py-3">
      <p className="font-medium">{title}</p>
      <p className="text-sm text-slate-500">{hint}</p>
      <ul className="mt-2 flex flex-col gap-1 break-words text-sm">{children}</ul>
    </li>
  );
}
