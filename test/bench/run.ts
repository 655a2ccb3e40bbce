// npm run bench — starts the production build (through `npm start`'s launcher) on a
// fresh database, runs every test/bench/*.bench.ts with autocannon next to a bare
// node:http server serving a same-size JSON body, and prints a table.
//   BENCH_DURATION=10 (seconds per run)  BENCH_ONLY=whoami,send-isolation (module names)  BENCH_CONNECTIONS=10
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createFreshDatabase } from "@/test/helpers/fresh-database";
import { exportEnv, readRawEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db";
import type { Benchmark, BenchTarget } from "@/test/bench/types";
import { processTree } from "@/test/helpers/launcher";

const DURATION = Number(readRawEnv("BENCH_DURATION") ?? 10);
const CONNECTIONS = Number(readRawEnv("BENCH_CONNECTIONS") ?? 10);
const ONLY = readRawEnv("BENCH_ONLY")?.split(",").map((name) => name.trim()).filter(Boolean);
const PORT = Number(readRawEnv("BENCH_PORT") ?? 3300);
const BASELINE_PORT = PORT + 1;

type Row = { bench: string; target: string; rps: number; p50: number; p99: number; errors: number; baseRps: number; bytes: number };

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

type Pss = { launcher: number; app: number; postgres: number; postgresProcesses: number; other: number; total: number };

/** Proportional set size (shared pages split between their users) of every process of the server's tree, in MB. */
function pssOfTree(rootPid: number): Pss {
  const out: Pss = { launcher: 0, app: 0, postgres: 0, postgresProcesses: 0, other: 0, total: 0 };
  for (const pid of processTree(rootPid)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const mb = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (pid === rootPid) out.launcher += mb;
      else if (cmd.includes("serve.mjs")) out.app += mb;
      else if (/(^|\/)postgres\0|^postgres:/.test(cmd)) {
        out.postgres += mb;
        out.postgresProcesses += 1;
      } else out.other += mb;
      out.total += mb;
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function formatPss(p: Pss): string {
  const parts = [`launcher ${p.launcher.toFixed(0)}`, `app server ${p.app.toFixed(0)}`];
  if (p.postgresProcesses) parts.push(`PostgreSQL ${p.postgres.toFixed(0)} (${p.postgresProcesses} processes)`);
  if (p.other) parts.push(`other ${p.other.toFixed(0)}`);
  return `${p.total.toFixed(0)} MB (${parts.join(", ")})`;
}

function run(url: string, target: Partial<BenchTarget>, duration: number): Promise<autocannon.Result> {
  const rotate = target.rotate ?? [];
  let next = 0;
  if (target.next) {
    const build = target.next;
    return autocannon({
      url,
      method: target.method ?? "GET",
      connections: target.connections ?? CONNECTIONS,
      duration,
      requests: [{ setupRequest: (req: autocannon.Request) => {
        const r = build();
        return { ...req, ...(r.path ? { path: r.path } : {}), headers: { ...req.headers, ...target.headers, ...r.headers }, ...(r.body !== undefined ? { body: r.body } : {}) };
      } }],
    });
  }
  return autocannon({
    url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    connections: target.connections ?? CONNECTIONS,
    duration,
    ...(rotate.length
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const r = rotate[next++ % rotate.length];
                return { ...req, path: r.path, headers: { ...req.headers, ...r.headers } };
              },
            },
          ],
        }
      : {}),
  });
}

function startBaseline(bytes: number): ChildProcess {
  // A bare node:http server answering every request with a JSON body of the same size.
  const code = `
    const body = JSON.stringify({ data: "x".repeat(Math.max(0, ${bytes} - 11)) });
    require("node:http").createServer((req, res) => {
      req.resume();
      req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end(body); });
    }).listen(${BASELINE_PORT}, "127.0.0.1");`;
  return spawn(process.execPath, ["-e", code], { stdio: "ignore" });
}

async function main() {
  const files = readdirSync("test/bench").filter((f) => f.endsWith(".bench.ts")).sort();
  const modules: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(path.resolve("test/bench", file))) as { default: Benchmark };
    if (!ONLY || ONLY.includes(mod.default.name)) modules.push(mod.default);
  }
  if (modules.length === 0) throw new Error(`no benchmark named ${ONLY?.join(", ")}`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sairaph-bench-"));
  chmodSync(dataDir, 0o711); // as root, the embedded server runs as the postgres user
  const baseDb = readRawEnv("DATABASE_URL");
  const db = baseDb ? await createFreshDatabase(baseDb, "bench") : null;
  const secrets = {
    SAIRAPH_DATA_DIR: dataDir,
    SAIRAPH_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    PORT: String(PORT),
    SAIRAPH_WORKER: "off",
    SAIRAPH_INBOUND_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(db ? { DATABASE_URL: db.url } : {}),
  };
  const serverEnv = { ...process.env, ...secrets };
  if (!db) delete serverEnv.DATABASE_URL;
  const server = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env: serverEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // The tail of the server's output (one log line per request adds up), for a failure report.
  let log = "";
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  let peak: Pss | null = null;
  let sampler: NodeJS.Timeout | undefined;
  const rows: Row[] = [];
  const extra: string[] = [];
  try {
    await waitFor(`http://127.0.0.1:${PORT}/api/health`, 300_000);
    // Idle: the app answered its first request and settled.
    await fetch(`http://127.0.0.1:${PORT}/api/health`);
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = pssOfTree(server.pid!);
    extra.push(`memory: PSS of the whole npm start tree at idle ${formatPss(idle)}`);
    sampler = setInterval(() => {
      const now = pssOfTree(server.pid!);
      if (!peak || now.total > peak.total) peak = now;
    }, 1_000);
    // The runner seeds through the same database and master key as the server.
    exportEnv({ ...secrets, BENCH_SERVER_PID: String(server.pid) });
    if (!db) delete process.env.DATABASE_URL;
    for (const bench of modules) {
      const targets = await bench.prepare();
      for (const target of targets) {
        const url = `http://127.0.0.1:${PORT}${target.path}`;
        const first = target.next?.();
        const probe = await fetch(first?.path ? `http://127.0.0.1:${PORT}${first.path}` : url, {
          method: target.method,
          headers: { ...target.headers, ...first?.headers },
          body: first?.body === undefined ? target.body : typeof first.body === "string" ? first.body : new Uint8Array(first.body),
        });
        const bytes = (await probe.arrayBuffer()).byteLength;
        if (probe.status >= 400) throw new Error(`${target.title}: probe answered ${probe.status}`);
        // A background load (another mailbox sending large messages) runs through warm-up and measurement.
        const bg = target.background;
        const background = bg ? run(`http://127.0.0.1:${PORT}${bg.path}`, bg, DURATION + 3) : null;
        await run(url, target, 2); // warm-up
        const result = await run(url, target, DURATION);
        const bgResult = await background;
        if (bgResult) extra.push(`${bench.name}: during "${target.title}" the background load got ${bgResult.requests.total} answers (${bgResult["2xx"]} 2xx, ${bgResult.non2xx} other, ${bgResult.errors + bgResult.timeouts} errors)`);
        const baseline = startBaseline(bytes);
        await waitFor(`http://127.0.0.1:${BASELINE_PORT}/`, 10_000);
        const base = await run(`http://127.0.0.1:${BASELINE_PORT}${target.path}`, { ...target, headers: target.headers }, Math.min(DURATION, 5));
        baseline.kill();
        rows.push({
          bench: bench.name,
          target: target.title,
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.non2xx + result.errors + result.timeouts,
          baseRps: base.requests.average,
          bytes,
        });
      }
      if (bench.report) {
        const results = rows.filter((r) => r.bench === bench.name).map((r) => ({ title: r.target, rps: r.rps }));
        extra.push(...(await bench.report(results)).map((l) => `${bench.name}: ${l}`));
      }
    }
    clearInterval(sampler);
    printTable(rows);
    console.log(`\nDatabase: ${db ? "PostgreSQL (DATABASE_URL server, fresh database)" : "embedded PostgreSQL (started by npm start)"}; ${DURATION}s per run, ${CONNECTIONS} connections.`);
    if (peak) extra.push(`memory: PSS of the whole npm start tree at peak (sampled every second under load) ${formatPss(peak)}`);
    for (const line of extra) console.log(line);
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}\n--- server log ---\n${log.slice(-6000)}`);
    process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await disconnectDb();
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // gone
    }
    await new Promise((r) => setTimeout(r, 1500));
    await db?.drop().catch(() => {});
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]) {
  const header = ["benchmark", "target", "req/s", "p50 ms", "p99 ms", "non-2xx/err", "bare node:http req/s", "ratio", "body B"];
  const lines = rows.map((r) => [
    r.bench,
    r.target,
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.errors),
    r.baseRps.toFixed(0),
    `${((r.rps / r.baseRps) * 100).toFixed(1)} %`,
    String(r.bytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

main().then(() => process.exit(process.exitCode ?? 0));
