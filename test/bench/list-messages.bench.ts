// GET /api/v1/mailboxes/{id}/messages?limit=50: listing 50 decrypted messages of a
// mailbox holding 1,000, while other mailboxes hold many more rows (the scale case).
//   BENCH_SCALE_ROWS=200000 (rows of realistic-size ciphertext in other mailboxes; 0 to skip)
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { PoolClient } from "pg";
import { getPool } from "@/lib/db";
import { readRawEnv } from "@/lib/env";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { listMessages, selectListRows } from "@/lib/messages/list-messages";
import { toMessageDto } from "@/lib/messages/message-dto";
import { openMessage } from "@/lib/messages/seal-message";
import { storeInboundMessage } from "@/lib/messages/store-message";
import type { MessageContent } from "@/lib/messages/message-content";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
const MESSAGES = 1000;
const SCALE_ROWS = Number(readRawEnv("BENCH_SCALE_ROWS") ?? 200_000);
const OTHER_MAILBOXES = 100;

const WORDS = "invoice meeting project budget contract agent schedule shipping order refund support account password report travel dinner quarterly roadmap launch customer".split(" ");
const pick = (i: number, n = 1) => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]);

export function content(i: number): MessageContent {
  const paragraph = Array.from({ length: 12 }, (_, k) => `Line ${k} about the ${pick(i + k, 3).join(" ")} we discussed, number ${i}.`).join("\n");
  return {
    from: { address: `sender${i % 37}@customers${i % 5}.example`, name: `Sender ${i % 37}` },
    to: [{ address: "agent@bench.example", name: "Agent" }],
    cc: i % 3 === 0 ? [{ address: `cc${i % 11}@partner.example`, name: null }] : [],
    bcc: [],
    replyTo: [],
    subject: `Re: ${pick(i, 3).join(" ")} #${i}`,
    text: paragraph,
    html: `<html><body>${paragraph.split("\n").map((l) => `<p>${l}</p>`).join("")}</body></html>`,
    headers: [
      ["Received", `from mx${i % 4}.example by bench.example; ${new Date().toUTCString()}`],
      ["DKIM-Signature", `v=1; a=rsa-sha256; d=customers${i % 5}.example; b=${randomBytes(64).toString("base64")}`],
      ["Subject", `Re: ${pick(i, 3).join(" ")} #${i}`],
    ],
    messageId: `<bench-${i}-${randomBytes(6).toString("hex")}@customers.example>`,
    inReplyTo: null,
    references: [],
    attachments: i % 10 === 0 ? [{ filename: `report-${i}.pdf`, contentType: "application/pdf", content: randomBytes(20_000) }] : [],
  };
}

/** Realistic-size ciphertext rows in other mailboxes, by INSERT … SELECT generate_series, then ANALYZE. */
async function seedOtherMailboxes(rows: number): Promise<void> {
  if (rows <= 0) return;
  // Temp tables live per connection: the whole seed runs on one client.
  const pool = await getPool().connect();
  try {
    // The app's connections bound every statement (lib/db.ts); a 50,000-row batch is not a request.
    await pool.query("SET statement_timeout = 0");
    await seedOn(pool, rows);
  } finally {
    await pool.query("RESET statement_timeout").catch(() => {});
    pool.release();
  }
}

async function seedOn(pool: PoolClient, rows: number): Promise<void> {
  const tenantId = `bench-scale-${randomBytes(4).toString("hex")}`;
  const started = performance.now();
  // A pool of random blobs the size of real sealed rows (random bytes do not compress in TOAST).
  await pool.query(`CREATE TEMP TABLE IF NOT EXISTS bench_blob (n int primary key, meta bytea, body bytea, tokens text[])`);
  await pool.query(`TRUNCATE bench_blob`);
  for (let n = 0; n < 500; n += 50) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let k = n; k < n + 50; k++) {
      const tokens = Array.from({ length: 80 }, () => randomBytes(12).toString("base64url"));
      values.push(k, randomBytes(700), randomBytes(2500 + (k % 7) * 400), tokens);
      const b = values.length;
      tuples.push(`($${b - 3}, $${b - 2}, $${b - 1}, $${b})`);
    }
    await pool.query(`INSERT INTO bench_blob VALUES ${tuples.join(", ")}`, values);
  }
  await pool.query(
    `INSERT INTO "Thread" (id, "tenantId", "mailboxId", "messageCount", "lastMessageAt", "createdAt")
     SELECT md5('t' || m)::uuid::text, $1, md5('m' || m)::uuid::text, 0, now(), now() FROM generate_series(1, $2) m`,
    [tenantId, OTHER_MAILBOXES],
  );
  const batch = 50_000;
  for (let from = 0; from < rows; from += batch) {
    const to = Math.min(rows, from + batch) - 1;
    await pool.query(
      `INSERT INTO "Message" (id, "tenantId", "mailboxId", "threadId", direction, status, read, labels, "metaCipher", "bodyCipher",
                              "rfcMessageIdHash", "searchTokens", "sizeBytes", "attachmentCount", "createdAt", "updatedAt")
       SELECT md5('x' || g || $1)::uuid::text, $1, md5('m' || (g % $2 + 1))::uuid::text, md5('t' || (g % $2 + 1))::uuid::text,
              'inbound', 'received', g % 3 = 0, '{}', b.meta, b.body, md5('h' || g), b.tokens, 4000, 0,
              now() - (g || ' seconds')::interval, now()
       FROM generate_series($3::int, $4::int) g JOIN bench_blob b ON b.n = g % 500`,
      [tenantId, OTHER_MAILBOXES, from, to],
    );
  }
  await pool.query(`ANALYZE "Message"; ANALYZE "Thread"`);
  console.log(`[list-messages] seeded ${rows} rows in ${OTHER_MAILBOXES} other mailboxes in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

let scope: { tenantId: string; mailboxId: string } | undefined;

const bench: Benchmark = {
  name: "list-messages",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench list", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "agent", actor });
    scope = { tenantId: tenant.id, mailboxId: mailbox.id };
    const { secret } = await issueKey({ kind: "mailbox", tenantId: tenant.id, mailboxId: mailbox.id, role: "read", requestsPerMinute: 100_000, actor });
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => storeInboundMessage({ ...scope!, content: content(i + k) })));
    }
    console.log(`[list-messages] stored ${MESSAGES} messages through storeInboundMessage in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await seedOtherMailboxes(SCALE_ROWS);
    const headers = { authorization: `Bearer ${secret}` };
    const base = `/api/v1/mailboxes/${mailbox.id}/messages`;
    return [
      { title: `list 50 of ${MESSAGES} (+${SCALE_ROWS} rows elsewhere)`, method: "GET", path: `${base}?limit=50`, headers },
      { title: "search q=budget, 50 per page", method: "GET", path: `${base}?limit=50&q=budget`, headers },
    ];
  },
  async report() {
    if (!scope) return [];
    const runs = 100;
    await listMessages({ ...scope, limit: 50 });
    let t = performance.now();
    for (let i = 0; i < runs; i++) await listMessages({ ...scope, limit: 50 });
    const whole = (performance.now() - t) / runs;
    const cipher = await getMailboxCipher(scope.tenantId, scope.mailboxId);
    const rows = await selectListRows({ ...scope, take: 50 });
    t = performance.now();
    for (let i = 0; i < runs; i++) for (const row of rows) toMessageDto(row, openMessage(cipher, row, { full: false }), { full: false });
    const decrypt = (performance.now() - t) / runs;
    return [
      `in-process listMessages(limit 50): ${whole.toFixed(2)} ms; decrypting + serializing the 50 rows: ${decrypt.toFixed(2)} ms (${((decrypt / whole) * 100).toFixed(0)} % of the listing)`,
    ];
  },
};

export default bench;
