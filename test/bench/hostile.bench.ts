// Hostile input (issue 11, item 1): the largest body of each hostile kind the API
// accepts, next to a plain body of the same size, timed per request (one after
// another: a 25 MB send takes seconds, too long for autocannon's windows). The
// goal: each hostile line within 3× of its plain line. /api/health is measured in the same run, idle and while
// hostile sends are in flight (the report lines): one request must not freeze the
// process. Raw MIME is timed in process (the parser of the inbound route).
import { getDb } from "@/lib/db";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import { MIME_LIMITS, parseRawEmail } from "@/lib/inbound/parse-email";
import { MAX_MESSAGE_BYTES, MAX_SEND_BODY_BYTES } from "@/lib/outbound/schemas";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
/** The largest text/html the send route accepts, less room for the other fields. */
const SIZE = MAX_MESSAGE_BYTES - 1024;

let sendPath = "";
let sendHeaders: Record<string, string> = {};

function nestedMime(bytes: number): string {
  let open = "";
  let close = "";
  for (let i = 0; open.length + close.length < bytes; i++) {
    open += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    close = `\r\n--b${i}--\r\n${close}`;
  }
  return `From: a@example.com\r\nSubject: nested\r\nMIME-Version: 1.0\r\n${open}Content-Type: text/plain\r\n\r\nhello${close}`;
}

function flatMime(bytes: number): string {
  return `From: a@example.com\r\nSubject: flat\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n${`${"hello world ".repeat(6)}\r\n`.repeat(Math.floor(bytes / 74))}`;
}

async function timeIt(f: () => Promise<unknown>, runs = 3): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i++) await f();
  return (performance.now() - start) / runs;
}

async function healthLatency(base: string): Promise<number> {
  const start = performance.now();
  await (await fetch(`${base}/api/health`)).arrayBuffer();
  return performance.now() - start;
}

/** Mean wall time of `runs` requests one after another (the body is sent anew each time). */
async function timeRequests(base: string, body: string, expect: number, runs = 3): Promise<number> {
  return timeIt(async () => {
    const res = await fetch(`${base}${sendPath}`, { method: "POST", headers: sendHeaders, body });
    await res.arrayBuffer();
    if (res.status !== expect) throw new Error(`expected ${expect}, got ${res.status}`);
  }, runs);
}

/** /api/health latencies while `body` is sent by four clients at once. */
async function healthDuring(base: string, body: string): Promise<{ checks: number[]; statuses: number[] }> {
  let done = false;
  const sends = Promise.all(Array.from({ length: 4 }, () => fetch(`${base}${sendPath}`, { method: "POST", headers: sendHeaders, body }).then((r) => r.status)));
  void sends.finally(() => (done = true));
  const checks: number[] = [];
  while (!done) {
    checks.push(await healthLatency(base));
    await new Promise((r) => setTimeout(r, 50));
  }
  return { checks, statuses: await sends };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bench: Benchmark = {
  name: "hostile",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench hostile", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "hostile", actor });
    await getDb().mailbox.update({ where: { id: mailbox.id }, data: { sendPerMinute: 100_000_000, sendPerDay: 100_000_000 } });
    const { secret } = await issueKey({ kind: "mailbox", tenantId: tenant.id, mailboxId: mailbox.id, role: "read_write", requestsPerMinute: 100_000, actor });
    sendPath = `/api/v1/mailboxes/${mailbox.id}/messages`;
    sendHeaders = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    // The table line: the framework's floor in this same run; the hostile lines follow in the report.
    return [{ title: "GET /api/health (same run as the hostile lines)", method: "GET", path: "/api/health" }];
  },
  async report() {
    const base = `http://127.0.0.1:${process.env.PORT}`;
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    const send = (body: object) => JSON.stringify({ to: "ann@example.com", subject: "s", ...body });
    const pairs: [string, string, string, number][] = [
      [`send html of "<" ${mb(SIZE)}, no text (202)`, send({ html: "<".repeat(SIZE) }), send({ html: "hello world ".repeat(SIZE / 12) }), 202],
      [`send 'to' of spaces ${mb(MAX_SEND_BODY_BYTES)} (400)`, JSON.stringify({ to: `${" ".repeat(MAX_SEND_BODY_BYTES - 200)}x`, subject: "s", text: "t" }), JSON.stringify({ to: "a".repeat(MAX_SEND_BODY_BYTES - 200), subject: "s", text: "t" }), 400],
    ];
    const lines: string[] = [];
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await healthLatency(base));
    lines.push(`/api/health idle: median ${ms(median(idle))}, max ${ms(Math.max(...idle))}`);
    for (const [title, hostile, plain, status] of pairs) {
      const tPlain = await timeRequests(base, plain, status);
      const tHostile = await timeRequests(base, hostile, status);
      lines.push(`${title}: ${ms(tHostile)} per request vs ${ms(tPlain)} for a plain body of the same size (${(tHostile / tPlain).toFixed(2)}×, goal ≤ 3×)`);
    }
    for (const [label, body] of [["plain html", pairs[0][2]], ['html of "<"', pairs[0][1]]] as const) {
      const { checks, statuses } = await healthDuring(base, body);
      lines.push(`/api/health during 4 concurrent ${mb(SIZE)} ${label} sends (answered ${statuses.join(",")}): ${checks.length} checks, median ${ms(median(checks))}, max ${ms(Math.max(...checks))}`);
    }
    // Raw MIME (the inbound route's parser), 25 MB: standard 76-character lines, the
    // most lines the parser takes (600,000 empty ones) and deeply nested parts.
    const flat = flatMime(MAX_MESSAGE_BYTES);
    const empty = `From: a@example.com\r\nSubject: lines\r\n\r\n${"\r\n".repeat(MIME_LIMITS.maxLines - 10)}`;
    const nested = nestedMime(MAX_MESSAGE_BYTES);
    const tFlat = await timeIt(() => parseRawEmail(flat));
    const tEmpty = await timeIt(() => parseRawEmail(empty));
    const tNested = await timeIt(() => parseRawEmail(nested).catch(() => null));
    lines.push(
      `parseRawEmail in process: ${mb(flat.length)} in 76-character lines ${ms(tFlat)}; ${MIME_LIMITS.maxLines} empty lines ${ms(tEmpty)} (${(tEmpty / tFlat).toFixed(2)}×); ${mb(nested.length)} nested MIME (refused at the part cap) ${ms(tNested)} (${(tNested / tFlat).toFixed(2)}×)`,
    );
    return lines;
  },
};

export default bench;
