// One mailbox never blocks another (issue 16 item 3): accepted small sends per second
// of mailbox B alone, then while mailbox A sends 25 MB messages (an 18 MB attachment,
// 25 MB after base64) as fast as it can, then alone again. The goal is B keeping at
// least 80 % of its rate alone; the ratio is printed under the table, with A's own rate
// when it sends alone (large bodies are paced only while the event loop is busy).
import { getDb } from "@/lib/db";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };

async function sender(tenantId: string, localPart: string) {
  const mailbox = await createMailbox({ tenantId, localPart, actor });
  await getDb().mailbox.update({ where: { id: mailbox.id }, data: { sendPerMinute: 100_000_000, sendPerDay: 100_000_000 } });
  const { secret } = await issueKey({ kind: "mailbox", tenantId, mailboxId: mailbox.id, role: "read_write", requestsPerMinute: 100_000, actor });
  return { mailbox, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" } };
}

const bench: Benchmark = {
  name: "send-isolation",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench isolation", actor });
    const a = await sender(tenant.id, "large-a");
    const b = await sender(tenant.id, "small-b");
    const small = JSON.stringify({ to: ["ann@example.com"], subject: "Small", text: "Hello from B" });
    const large = JSON.stringify({
      to: ["bob@example.com"],
      subject: "Large",
      text: "See attachment",
      attachments: [{ filename: "big.bin", contentType: "application/octet-stream", content: Buffer.alloc(18 * 1024 * 1024, 7).toString("base64") }],
    });
    const bTarget = { method: "POST" as const, path: `/api/v1/mailboxes/${b.mailbox.id}/messages`, headers: b.headers, body: small };
    const aTarget = { method: "POST" as const, path: `/api/v1/mailboxes/${a.mailbox.id}/messages`, headers: a.headers, body: large };
    return [
      { title: "mailbox B small sends, alone", ...bTarget },
      { title: "mailbox B small sends, while A sends 25 MB", ...bTarget, background: { ...aTarget, connections: 3 } },
      // Once more after the shared run, so a drift of the machine shows.
      { title: "mailbox B small sends, alone again", ...bTarget },
      // A's own speed when the server has room: large bodies are paced only while it is busy.
      { title: "mailbox A 25 MB sends, alone", ...aTarget, connections: 1 },
    ];
  },
  async report(results) {
    const [alone, shared, again, aAlone] = results;
    if (!alone || !shared || !again || alone.rps + again.rps === 0) return [];
    const base = (alone.rps + again.rps) / 2;
    const share = (shared.rps / base) * 100;
    return [
      `mailbox B keeps ${share.toFixed(0)} % of its send rate while A sends 25 MB messages (against the mean of its two runs alone; goal: at least 80 %)`,
      ...(aAlone ? [`mailbox A alone accepts ${aAlone.rps.toFixed(2)} sends of 25 MB per second (${(aAlone.rps * 25).toFixed(0)} MB/s of base64)`] : []),
    ];
  },
};

export default bench;
