// npm run test:e2e [-- spec files or Playwright options] — serves the app through the real `npm start` path (building if
// needed) on a fresh database, then runs the Playwright tests in Debian's Chromium.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFreshDatabase } from "@/test/helpers/fresh-database";
import { readRawEnv } from "@/lib/env";

const CHROMIUM = "/usr/bin/chromium";
const PORT = Number(readRawEnv("E2E_PORT") ?? 3210);

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

async function main(): Promise<number> {
  const specs = existsSync("test/e2e") ? readdirSync("test/e2e").filter((f) => f.endsWith(".spec.ts")) : [];
  if (specs.length === 0) {
    console.log("No browser tests in test/e2e.");
    return 0;
  }
  if (!existsSync(CHROMIUM)) {
    const message = `Browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium).`;
    if (readRawEnv("CI")) {
      console.error(message);
      return 1;
    }
    console.warn(`${message} Skipping them.`);
    return 0;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sairaph-e2e-"));
  const baseDbUrl = readRawEnv("DATABASE_URL");
  const db = baseDbUrl ? await createFreshDatabase(baseDbUrl, "e2e") : null;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    SAIRAPH_DATA_DIR: dataDir,
    SAIRAPH_PUBLIC_URL: `http://localhost:${PORT}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (db) {
    env.DATABASE_URL = db.url;
    env.SAIRAPH_MASTER_KEY = randomBytes(32).toString("base64");
    env.AUTH_SECRET = randomBytes(32).toString("hex");
  } else {
    delete env.DATABASE_URL;
  }
  const server = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  server.stdout.on("data", (d: Buffer) => (log += d.toString()));
  server.stderr.on("data", (d: Buffer) => (log += d.toString()));
  try {
    await waitForHealth(`http://localhost:${PORT}`, 240_000);
    const result = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...env, E2E_BASE_URL: `http://localhost:${PORT}`, E2E_DATABASE_URL: db?.url ?? "" },
    });
    if (result.status !== 0) console.error(`--- app log ---\n${log.slice(-8000)}`);
    return result.status ?? 1;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n--- app log ---\n${log.slice(-8000)}`);
    return 1;
  } finally {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1500));
    await db?.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
