// POST /api/v1/mailboxes/{id}/messages: accepted sends per second — validation,
// suppression check, limits and the outbox commit (message + job + counters in one
// transaction). The worker is off (the harness sets SAIRAPH_WORKER=off) and the
// limits are far above the load, so every request is a 202. Each target hammers ONE
// mailbox: its limit counter row is locked from the counting statement to the
// durable COMMIT, so one mailbox's sends serialise on the commit (fsync) latency;
// several mailboxes sending at once scale past that (the third target).
import { getDb } from "@/lib/db";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import { addSuppression } from "@/lib/suppression/add-suppression";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
const mailboxIds: string[] = [];

async function sender(tenantId: string, localPart: string, suppressed = 20) {
  const mailbox = await createMailbox({ tenantId, localPart, actor });
  await getDb().mailbox.update({ where: { id: mailbox.id }, data: { sendPerMinute: 100_000_000, sendPerDay: 100_000_000 } });
  // A realistic list to check against: the send must still find nothing suppressed.
  for (let i = 0; i < suppressed; i++) await addSuppression({ tenantId, mailboxId: mailbox.id, address: `gone${i}@example.net`, reason: "bounce" });
  const { secret } = await issueKey({ kind: "mailbox", tenantId, mailboxId: mailbox.id, role: "read_write", requestsPerMinute: 100_000, actor });
  mailboxIds.push(mailbox.id);
  return { mailbox, secret };
}

const bench: Benchmark = {
  name: "send",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench send", actor });
    const a = await sender(tenant.id, "sender-a");
    const b = await sender(tenant.id, "sender-b");
    const headers = (secret: string) => ({ authorization: `Bearer ${secret}`, "content-type": "application/json" });
    const simple = JSON.stringify({
      to: ["Ann Example <ann@example.com>"],
      subject: "Your order has shipped",
      text: "Hello Ann,\n\nyour order #12345 has shipped and should arrive on Thursday.\n\n— The shop",
    });
    const richer = JSON.stringify({
      to: ["ann@example.com", "bob@example.com"],
      cc: ["carl@example.com"],
      subject: "Weekly report",
      text: "Report attached.",
      html: `<p>${"Report line. ".repeat(150)}</p>`,
      headers: { "X-Campaign": "weekly" },
      attachments: [{ filename: "report.csv", contentType: "text/csv", content: Buffer.from("a,b,c\n".repeat(700)).toString("base64") }],
    });
    // Many agents sending at once: the same simple send spread over 20 mailboxes.
    const many = [];
    for (let i = 0; i < 20; i++) many.push(await sender(tenant.id, `agent-${i}`, 5));
    const rotate = many.map((m) => ({ path: `/api/v1/mailboxes/${m.mailbox.id}/messages`, headers: headers(m.secret) }));
    return [
      { title: "POST …/messages (1 recipient, text)", method: "POST", path: `/api/v1/mailboxes/${a.mailbox.id}/messages`, headers: headers(a.secret), body: simple },
      { title: "POST …/messages (3 recipients, html, 4 KB attachment)", method: "POST", path: `/api/v1/mailboxes/${b.mailbox.id}/messages`, headers: headers(b.secret), body: richer },
      { title: "POST …/messages (1 recipient, over 20 mailboxes)", method: "POST", path: rotate[0].path, headers: rotate[0].headers, body: simple, rotate },
    ];
  },
  async report() {
    const db = getDb();
    const messages = await db.message.count({ where: { mailboxId: { in: mailboxIds } } });
    const jobs = await db.job.count({ where: { mailboxId: { in: mailboxIds }, status: "pending" } });
    return [`stored ${messages} queued messages and ${jobs} pending outbox jobs (each 202 is one of each)`];
  },
};

export default bench;
