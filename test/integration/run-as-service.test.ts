// `npm start` on a bare machine (no DATABASE_URL): the launcher starts the embedded
// PostgreSQL in the data folder, the app answers, the CLI joins the running database,
// SIGTERM stops everything and exits 0, and after `kill -9` of every process a new
// start recovers the database with its data. Run as this user and, when the tests
// run as root, also as an unprivileged user made with useradd.
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { EmbeddedDatabaseError, startEmbeddedServer } from "@/lib/db/embedded";
import { runningEmbeddedUrlSync } from "@/lib/db/embedded-state";
import { bareEnv, freePort, homeOf, launch, normalUser, postmastersOf, processTree, waitForHealth, type Launched } from "@/test/helpers/launcher";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function dataFolder(user: { uid: number; gid: number } | null): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), "sairaph-service-"));
  made.push(parent);
  chmodSync(parent, 0o711);
  const dir = path.join(parent, "data");
  mkdirSync(dir);
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

function runCli(env: NodeJS.ProcessEnv, user: { uid: number; gid: number } | undefined, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(user ?? {}),
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

async function tenantNames(dataDir: string): Promise<string[]> {
  const url = runningEmbeddedUrlSync(dataDir);
  if (!url) throw new Error("no embedded database is running");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(`SELECT name FROM "Tenant" ORDER BY name`)).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function stopWith(launched: Launched, signal: NodeJS.Signals) {
  launched.child.kill(signal);
  return launched.exited;
}

async function runLifecycle(user: { uid: number; gid: number } | null, home: string) {
  const dataDir = dataFolder(user);
  const port = await freePort();
  const env = bareEnv({ SAIRAPH_DATA_DIR: dataDir, PORT: String(port), HOME: home });
  const asUser = user ?? undefined;
  const health = `http://127.0.0.1:${port}/api/health`;

  // First start: initialises the cluster; the CLI joins it while the app runs.
  let app = launch(env, asUser);
  await waitForHealth(health, app);
  const created = await runCli(env, asUser, ["tenant", "create", "--name", "Acme", "--json"]);
  expect(created.code, created.out).toBe(0);
  expect(JSON.parse(created.out.trim().split("\n").pop()!)).toHaveProperty("tenantId");
  expect(await tenantNames(dataDir)).toEqual(["Acme"]);
  expect((await fetch(`${health}?ready=1`)).status).toBe(200);

  // SIGTERM: exit 0, no PostgreSQL left behind.
  expect(await stopWith(app, "SIGTERM")).toEqual({ code: 0, signal: null });
  expect(postmastersOf(dataDir)).toEqual([]);
  await expect(fetch(health)).rejects.toThrow();

  // kill -9 of every process it started, then a new start recovers with the data.
  app = launch(env, asUser);
  await waitForHealth(health, app);
  const everything = processTree(app.child.pid!);
  expect(postmastersOf(dataDir)).toHaveLength(1);
  for (const pid of everything) process.kill(pid, "SIGKILL");
  await app.exited;
  app = launch(env, asUser);
  await waitForHealth(health, app);
  expect(await tenantNames(dataDir)).toEqual(["Acme"]);

  // Only the launcher killed: the app server stops itself, the orphaned PostgreSQL
  // is taken over by the next start.
  const orphan = postmastersOf(dataDir);
  process.kill(app.child.pid!, "SIGKILL");
  await app.exited;
  app = launch(env, asUser);
  await waitForHealth(health, app);
  expect(postmastersOf(dataDir)).not.toEqual(orphan);
  expect(await tenantNames(dataDir)).toEqual(["Acme"]);
  expect(await stopWith(app, "SIGINT")).toEqual({ code: 0, signal: null });
  expect(postmastersOf(dataDir)).toEqual([]);

  // A normal start prints no deprecation warning and no stack trace.
  expect(app.output()).not.toMatch(/deprecat|\n\s+at .+:\d+:\d+/i);
}

describe("npm start with the embedded PostgreSQL", () => {
  it("runs, serves the CLI, stops cleanly and recovers after kill -9, as this user", async () => {
    await runLifecycle(null, os.homedir());
  }, 600_000);

  it.runIf(process.getuid?.() === 0)("does the same as an unprivileged user", async () => {
    const user = normalUser()!;
    await runLifecycle(user, homeOf("sairaph-test"));
  }, 600_000);

  it("refuses a data folder made by PGlite and says what to do, changing nothing", async () => {
    const dataDir = dataFolder(null);
    mkdirSync(path.join(dataDir, "pgdata"));
    writeFileSync(path.join(dataDir, "pgdata", "PG_VERSION"), "17\n");
    const error = await startEmbeddedServer(dataDir).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    expect((error as Error).message).toMatch(/PGlite.*Upgrading from PGlite/s);
    expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
  });
});
