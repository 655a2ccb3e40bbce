// POST /api/webhooks/inbound: raw 10 KB messages ingested per second (signature
// check over the bytes, MIME parse, routing, sealing under the mailbox key, one
// transaction with the receipt and the event), every request a new message (fresh
// webhook id, Message-ID and signature). Next to it, in the same run, the raw insert
// rate of the same database: 10 KB rows inserted one per transaction over as many
// connections, the ceiling any durable ingest can reach on this disk.
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { databaseUrl, getDb } from "@/lib/db";
import { readRawEnv } from "@/lib/env";
import { signStandardWebhook } from "@/lib/inbound/verify-inbound-webhook";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { createTenant } from "@/lib/tenants/create-tenant";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
const MESSAGE_BYTES = 10 * 1024;
const CONNECTIONS = Number(readRawEnv("BENCH_CONNECTIONS") ?? 10);
const RAW_SECONDS = Math.min(Number(readRawEnv("BENCH_DURATION") ?? 10), 10);
let mailboxId = "";

function message(to: string): Buffer {
  const head = [
    "From: Customer <customer@outside.example>",
    `To: ${to}`,
    "Subject: Question about my order #12345",
    `Message-ID: <${randomUUID()}@outside.example>`,
    "Date: Mon, 30 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "",
  ].join("\r\n");
  const line = "Hello, I ordered a blue kettle last week and it has not arrived yet. Could you check?\r\n";
  return Buffer.from(head + line.repeat(Math.ceil((MESSAGE_BYTES - head.length) / line.length)), "utf8").subarray(0, MESSAGE_BYTES);
}

/** 10 KB rows, one INSERT per transaction (autocommit), CONNECTIONS clients, for `seconds`. */
async function rawInsertRate(seconds: number): Promise<number> {
  const setup = new pg.Client({ connectionString: databaseUrl() });
  await setup.connect();
  await setup.query(`CREATE TABLE IF NOT EXISTS bench_raw_insert (id uuid PRIMARY KEY, data bytea NOT NULL)`);
  await setup.end();
  const payload = randomBytes(MESSAGE_BYTES);
  const deadline = performance.now() + seconds * 1000;
  let rows = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl() });
      await client.connect();
      while (performance.now() < deadline) {
        await client.query(`INSERT INTO bench_raw_insert (id, data) VALUES ($1, $2)`, [randomUUID(), payload]);
        rows += 1;
      }
      await client.end();
    }),
  );
  return rows / ((performance.now() - start) / 1000);
}

const bench: Benchmark = {
  name: "inbound",
  async prepare() {
    const secret = readRawEnv("SAIRAPH_INBOUND_SECRET")!;
    const { tenant } = await createTenant({ name: "Bench inbound", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "support", actor });
    mailboxId = mailbox.id;
    return [
      { title: "GET /api/health (floor)", method: "GET", path: "/api/health" },
      {
        title: "POST /api/webhooks/inbound (10 KB message)",
        method: "POST",
        path: "/api/webhooks/inbound",
        headers: { "content-type": "message/rfc822" },
        next: () => {
          const body = message(mailbox.address);
          const id = `msg_${randomUUID()}`;
          const timestamp = Math.floor(Date.now() / 1000);
          return {
            body,
            headers: { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signStandardWebhook(secret, id, timestamp, body) },
          };
        },
      },
    ];
  },
  async report(results) {
    const raw = await rawInsertRate(RAW_SECONDS);
    const ingest = results.find((r) => r.title.startsWith("POST"))?.rps ?? 0;
    const stored = await getDb().message.count({ where: { mailboxId } });
    return [
      `raw INSERT of a 10 KB row, one per transaction, ${CONNECTIONS} connections, ${RAW_SECONDS}s: ${raw.toFixed(0)} rows/s`,
      `inbound ingest: ${ingest.toFixed(0)} messages/s = ${((ingest / raw) * 100).toFixed(1)} % of the raw insert rate (goal: at least 50 %)`,
      `stored ${stored} inbound messages (each 200 is one message)`,
    ];
  },
};

export default bench;
