// Event fan-out (issue 12): 1,000 concurrent SSE clients on one mailbox's stream, 100
// inbound messages stored through the app's own ingest path; for each message and
// client, the time from its transaction's commit to the event arriving, and what the
// server's memory grew by while the clients were connected. The runner adds
// GET /api/health of the same server and run to the table.
//   SSE_CLIENTS=1000  SSE_MESSAGES=100
import http from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { readRawEnv } from "@/lib/env";
import { testContent } from "@/test/helpers/messages";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
const CLIENTS = Number(readRawEnv("SSE_CLIENTS") ?? 1000);
const MESSAGES = Number(readRawEnv("SSE_MESSAGES") ?? 100);
const PORT = Number(readRawEnv("BENCH_PORT") ?? 3300);

let target: { mailboxId: string; tenantId: string; secret: string } | null = null;

/** Current resident memory (VmRSS) of a process and its descendants, in MB. */
function treeRss(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // ended
    }
  }
  let kb = 0;
  const walk = (pid: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // ended
    }
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Client = { req: http.ClientRequest; seen: Map<string, number> };

function connect(path: string, secret: string, onOpen: () => void): Client {
  const seen = new Map<string, number>();
  const req = http.request({ host: "127.0.0.1", port: PORT, path, headers: { authorization: `Bearer ${secret}`, accept: "text/event-stream" }, agent: false });
  req.on("response", (res) => {
    if (res.statusCode !== 200) {
      console.error(`an SSE client was refused: ${res.statusCode}`);
      res.resume();
      return;
    }
    onOpen();
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      const now = performance.timeOrigin + performance.now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").find((l) => l.startsWith("data: "));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as { type: string; data: { messageId?: string } };
        if (event.type === "message.received" && event.data.messageId) seen.set(event.data.messageId, now);
      }
    });
  });
  req.on("error", () => {});
  req.end();
  return { req, seen };
}

const bench: Benchmark = {
  name: "sse-fanout",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench SSE", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "fanout", actor });
    const { secret } = await issueKey({ kind: "mailbox", tenantId: tenant.id, mailboxId: mailbox.id, role: "read", requestsPerMinute: 100_000, actor });
    target = { tenantId: tenant.id, mailboxId: mailbox.id, secret };
    return [{ title: "GET /api/health (same run)", method: "GET", path: "/api/health" }];
  },
  async report() {
    if (!target) return [];
    const serverPid = Number(readRawEnv("BENCH_SERVER_PID"));
    const before = treeRss(serverPid);
    let open = 0;
    const clients: Client[] = [];
    const opened = new Promise<void>((resolve) => {
      for (let i = 0; i < CLIENTS; i++) {
        clients.push(
          connect(`/api/v1/mailboxes/${target!.mailboxId}/events`, target!.secret, () => {
            if (++open === CLIENTS) resolve();
          }),
        );
      }
    });
    await opened;
    await new Promise((r) => setTimeout(r, 2000));
    const connected = treeRss(serverPid);

    const committedAt = new Map<string, number>();
    for (let i = 0; i < MESSAGES; i++) {
      const { message } = await storeInboundMessage({ tenantId: target.tenantId, mailboxId: target.mailboxId, content: testContent({ subject: `fan-out ${i}` }) });
      committedAt.set(message.id, performance.timeOrigin + performance.now());
      await new Promise((r) => setTimeout(r, 20));
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && clients.some((c) => c.seen.size < MESSAGES)) await new Promise((r) => setTimeout(r, 200));
    const during = treeRss(serverPid);

    const latencies: number[] = [];
    let missing = 0;
    for (const c of clients) {
      for (const [id, at] of committedAt) {
        const got = c.seen.get(id);
        if (got === undefined) missing += 1;
        else latencies.push(Math.max(0, got - at));
      }
    }
    for (const c of clients) c.req.destroy();
    latencies.sort((a, b) => a - b);
    return [
      `${CLIENTS} SSE clients on one mailbox, ${MESSAGES} inbound messages: ${latencies.length} events received, ${missing} missing`,
      `commit → event on the client: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms`,
      `server RSS: ${before.toFixed(0)} MB before, ${connected.toFixed(0)} MB with the clients connected (+${(connected - before).toFixed(0)} MB), ${during.toFixed(0)} MB after the messages (+${(during - before).toFixed(0)} MB)`,
    ];
  },
};

export default bench;
