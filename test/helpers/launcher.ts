// Runs `npm start`'s launcher (scripts/start.ts) as a child process, optionally as
// another OS user, and inspects the processes it started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { freePort } from "@/lib/db/embedded";

export { freePort };

export type Launched = {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
};

/** The environment of a fresh machine: nothing configured but the data folder and port. */
export function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NEXT_TELEMETRY_DISABLED: "1", ...extra } as unknown as NodeJS.ProcessEnv;
}

export function launch(env: NodeJS.ProcessEnv, user?: { uid: number; gid: number }): Launched {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ?? {}),
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

export async function waitForHealth(url: string, launched: Launched, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (launched.child.exitCode !== null) throw new Error(`the launcher exited with ${launched.child.exitCode}:\n${launched.output()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200:\n${launched.output()}`);
}

function parentOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const ppid = parentOf(entry);
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** Postgres server processes serving the cluster in `dataDir` (the postmaster; its children name no folder). */
export function postmastersOf(dataDir: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
        return /(^|\/)postgres$/.test(cmd[0]) && cmd.includes(`${dataDir}/postgres`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Processes whose parent is `pid` (a postmaster's backends and helpers). */
export function childrenOf(pid: number): number[] {
  return processTree(pid).slice(1);
}

/** Creates (once) an unprivileged OS user for the "as a normal user" runs; null when not root. */
export function normalUser(name = "sairaph-test"): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = () => spawnSync("id", ["-u", name], { encoding: "utf8" });
  if (id().status !== 0) {
    const made = spawnSync("useradd", ["--create-home", "--shell", "/bin/sh", name], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`useradd ${name} failed: ${made.stderr}`);
  }
  return {
    uid: Number(id().stdout.trim()),
    gid: Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim()),
  };
}

export function homeOf(name: string): string {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  const home = line?.split(":")[5];
  return home && existsSync(home) ? home : "/tmp";
}
