// Several instances, one database (SPEC §11): two app instances started the way
// `npm start` starts them (scripts/start.ts with DATABASE_URL) and one `npm run
// worker`, on the run's PostgreSQL, sending through the real `resend` SDK to a fake
// Resend. Sends through both instances at a mailbox's limit accept exactly the
// limit; every accepted send reaches the provider exactly once; one delivery event
// posted to both instances at once is stored once; killing an instance (kill -9)
// while it accepts and delivers loses nothing: its leases expire and the worker
// delivers.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Webhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { readRawEnv } from "@/lib/env";
import { providerIdempotencyKey } from "@/lib/outbound/providers/types";
import { setupTestDatabase } from "@/test/helpers/db";
import { FakeResend } from "@/test/helpers/fake-resend";
import { createTestKey, createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { bareEnv, freePort, launch, processTree, waitForHealth, type Launched } from "@/test/helpers/launcher";

setupTestDatabase();

const LIMIT = 10;
const LEASE_SECONDS = 3;
const METRICS_TOKEN = "scale-out-metrics-token-0123";
const fake = new FakeResend();
const running: ChildProcess[] = [];
let env: NodeJS.ProcessEnv;
let a: { url: string; app: Launched };
let b: { url: string; app: Launched };
let worker: ChildProcess;

async function instance(extra: Record<string, string>) {
  const port = await freePort();
  const app = launch({ ...env, PORT: String(port), ...extra });
  running.push(app.child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/api/health`, app);
  return { url, app };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function send(base: string, key: string, mailboxId: string, n: number) {
  return fetch(`${base}/api/v1/mailboxes/${mailboxId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ to: [`rcpt${n}@example.com`], subject: `Hello ${n}`, text: "Hi" }),
  });
}

async function outboundOf(mailboxId: string) {
  return getDb().message.findMany({ where: { mailboxId, direction: "outbound" }, select: { id: true, status: true, providerMessageId: true } });
}

/** Every message of the mailbox left the outbox, each reaching the provider exactly once. */
async function expectDeliveredOnce(mailboxId: string, accepted: string[]) {
  const messages = await until(`the outbox of ${mailboxId} to drain`, async () => {
    const rows = await outboundOf(mailboxId);
    return rows.length > 0 && rows.every((m) => m.status === "sent") && rows;
  });
  expect(messages.map((m) => m.id)).toEqual(expect.arrayContaining(accepted));
  for (const m of messages) expect(fake.acceptedByKey(providerIdempotencyKey(m.id)), m.id).toHaveLength(1);
  return messages;
}

beforeAll(async () => {
  await fake.start();
  env = bareEnv({
    DATABASE_URL: readRawEnv("DATABASE_URL")!,
    SAIRAPH_MASTER_KEY: readRawEnv("SAIRAPH_MASTER_KEY")!,
    AUTH_SECRET: readRawEnv("AUTH_SECRET")!,
    SAIRAPH_DATA_DIR: readRawEnv("SAIRAPH_DATA_DIR")!,
    RESEND_WEBHOOK_SECRET: readRawEnv("RESEND_WEBHOOK_SECRET")!,
    MAIL_PROVIDER: "resend",
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: fake.url,
    SAIRAPH_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    SAIRAPH_LOG_LEVEL: "warn",
    SAIRAPH_METRICS_TOKEN: METRICS_TOKEN,
  });
  // One after the other: the first builds if the sources changed.
  a = await instance({ SAIRAPH_WORKER: "off", SAIRAPH_LOG_LEVEL: "info" });
  b = await instance({ SAIRAPH_WORKER: "on" });
  worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], { env, stdio: "ignore" });
  running.push(worker);
}, 600_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(running.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await fake.stop();
});

describe("two app instances and a worker on one PostgreSQL", () => {
  it("accept exactly a mailbox's limit between them and deliver every accepted send once", async () => {
    const world = await createTestWorld();
    await getDb().mailbox.update({ where: { id: world.mailbox.id }, data: { sendPerDay: LIMIT } });
    const responses = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, n) => send(n % 2 ? a.url : b.url, world.keys.read_write, world.mailbox.id, n)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
    const accepted = await Promise.all(responses.filter((r) => r.status === 202).map(async (r) => ((await r.json()) as { id: string }).id));
    const delivered = await expectDeliveredOnce(world.mailbox.id, accepted);
    expect(delivered).toHaveLength(LIMIT);

    // Each instance counts and logs its own requests, by route pattern.
    const route = "/api/v1/mailboxes/{mailboxId}/messages";
    const scraped = await (await fetch(`${a.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const count = (status: number) =>
      Number(scraped.split("\n").find((l) => l.startsWith(`sairaph_http_request_duration_seconds_count{method="POST",route="${route}",status="${status}"}`))?.split(" ")[1] ?? 0);
    const throughA = responses.filter((_, n) => n % 2 === 1);
    expect(count(202) + count(429)).toBe(throughA.length);
    expect(count(202)).toBe(throughA.filter((r) => r.status === 202).length);
    const lines = a.app
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "request" && l.route === route);
    expect(lines).toHaveLength(throughA.length);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, method: "POST", tenantId: world.tenant.id, reqId: expect.stringMatching(/^req_/) });
      expect(typeof line.durationMs).toBe("number");
    }
    const logged = a.app.output();
    for (const secret of [world.keys.read_write, "rcpt1@example.com", "Hello 1", world.mailbox.address]) expect(logged).not.toContain(secret);
  });

  it("store a delivery event posted to both instances at once once", async () => {
    const world = await createTestWorld();
    const res = await send(a.url, world.keys.read_write, world.mailbox.id, 0);
    expect(res.status).toBe(202);
    const [message] = await expectDeliveredOnce(world.mailbox.id, [((await res.json()) as { id: string }).id]);
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: message.providerMessageId, from: "x@y.z", to: ["rcpt0@example.com"], subject: "Hello 0", created_at: new Date().toISOString() },
    });
    const svixId = `msg_${randomUUID()}`;
    const at = new Date();
    const headers = {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(readRawEnv("RESEND_WEBHOOK_SECRET")!).sign(svixId, at, body),
    };
    const answers = await Promise.all(
      [a.url, b.url, a.url, b.url].map((base) => fetch(`${base}/api/webhooks/resend`, { method: "POST", headers, body })),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await getDb().webhookReceipt.count({ where: { webhookId: svixId } })).toBe(1);
    expect((await getDb().message.findFirstOrThrow({ where: { id: message.id } })).status).toBe("delivered");
  });

  it("lose nothing when an instance is killed while it accepts and delivers", async () => {
    const world = await createTestWorld();
    const mailbox = await createTestMailbox(world.tenant.id);
    const key = (await createTestKey(world.tenant.id, { mailboxId: mailbox.id, role: "read_write" })).secret;
    fake.delayMs = 1_500; // deliveries stay in flight, so the instance dies holding leases
    const bServer = processTree(b.app.child.pid!).find((pid) => pid !== b.app.child.pid)!;

    const accepted: string[] = [];
    let dead = false;
    let n = 0;
    const sender = async () => {
      while (!dead && n < 200) {
        try {
          const res = await send(b.url, key, mailbox.id, n++);
          if (res.status === 202) accepted.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the connection died with the instance
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    await until("the instance to hold delivery leases", async () => {
      const { rows } = await getPool().query<{ n: string }>(
        `SELECT count(*) AS n FROM "Job" WHERE status = 'running' AND "lockedBy" LIKE $1`,
        [`%:${bServer}:%`],
      );
      return accepted.length >= 5 && Number(rows[0].n) > 0;
    });
    for (const pid of processTree(b.app.child.pid!).reverse()) process.kill(pid, "SIGKILL");
    dead = true;
    await Promise.all(senders);
    await b.app.exited;
    fake.delayMs = 0;

    const delivered = await expectDeliveredOnce(mailbox.id, accepted);
    expect(delivered.length).toBeGreaterThanOrEqual(accepted.length);
    // Nothing reached the provider that is not a stored message.
    const known = new Set((await getDb().message.findMany({ where: { tenantId: world.tenant.id }, select: { id: true } })).map((m) => m.id));
    const fromThisTenant = fake.accepted.filter((e) => (e.body.tags as { value: string }[] | undefined)?.some((t) => known.has(t.value)));
    expect(fromThisTenant).toHaveLength(delivered.length);
  });
});
