import { getPageSession } from "@/lib/http/with-session";
import { getMailboxUsage } from "@/lib/mailboxes/get-mailbox-usage";
import { dailyMessageCounts } from "@/lib/messages/daily-message-counts";
import { DailyMailChart } from "@/components/charts/daily-mail-chart";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { loadMailbox } from "../load-mailbox";

export const metadata = { title: "Mailbox usage · Sairaph Mail" };

const DAYS = 14;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export default async function MailboxUsagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  const scope = { tenantId: session.tenant.id, mailboxId: mailbox.id };
  const [usage, daily] = await Promise.all([getMailboxUsage(scope), dailyMessageCounts({ ...scope, days: DAYS })]);
  const meters = [
    { label: "Sent this minute", used: usage.used.sentThisMinute, limit: usage.limits.sendPerMinute, resets: usage.resets.minute },
    { label: "Sent today (UTC)", used: usage.used.sentToday, limit: usage.limits.sendPerDay, resets: usage.resets.day },
  ];
  return (
    <div className="flex flex-col gap-6">
      <section className={cardClass} aria-labelledby="limits-heading">
        <h2 id="limits-heading" className="mb-3 text-base font-semibold">
          Sending limits
        </h2>
        <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {meters.map((m) => {
            const share = m.limit > 0 ? Math.min(100, Math.round((m.used / m.limit) * 100)) : 100;
            return (
              <li key={m.label} data-testid="limit-meter">
                <p className="flex justify-between text-sm">
                  <span className="text-slate-600">{m.label}</span>
                  <span className="font-medium">
                    {m.used} / {m.limit}
                  </span>
                </p>
                <div
                  className="mt-1 h-2 rounded-full bg-slate-100"
                  role="meter"
                  aria-label={m.label}
                  aria-valuemin={0}
                  aria-valuemax={m.limit}
                  aria-valuenow={Math.min(m.used, m.limit)}
                >
                  <div className={`h-2 rounded-full ${share >= 90 ? "bg-red-500" : share >= 70 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${share}%` }} />
                </div>
                <p className="mt-1 text-xs text-slate-500">Resets {formatDateTime(m.resets)}</p>
              </li>
            );
          })}
        </ul>
        <p className="mt-3 text-sm text-slate-500">A send over a limit is refused with 429 and nothing is stored. Change the limits under Settings &amp; keys.</p>
      </section>
      <section className={cardClass} aria-labelledby="daily-heading">
        <h2 id="daily-heading" className="mb-3 text-base font-semibold">
          Sent and received per day
        </h2>
        <DailyMailChart data={daily} label={`Messages of ${mailbox.address} per day (UTC), last ${DAYS} days`} />
      </section>
      <section className={cardClass} aria-labelledby="storage-heading">
        <h2 id="storage-heading" className="mb-3 text-base font-semibold">
          Storage
        </h2>
        <dl className="grid grid-cols-3 gap-4 text-sm">
          <div>
            <dt className="text-slate-500">Messages</dt>
            <dd className="mt-0.5 font-medium">{usage.storage.messages}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Attachments</dt>
            <dd className="mt-0.5 font-medium">{usage.storage.attachments}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Size</dt>
            <dd className="mt-0.5 font-medium" data-testid="storage-bytes">
              {formatBytes(usage.storage.bytes)}
            </dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
