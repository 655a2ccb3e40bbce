// npm start — builds if needed, starts the embedded database when DATABASE_URL is
// unset, applies pending migrations, then serves the app (`next start`).
import { spawn } from "node:child_process";
import path from "node:path";
import { findRunningEmbeddedServer, startEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";
import { EnvError, getEnv } from "@/lib/env";
import { buildIfNeeded } from "./build-if-needed";

const dev = process.argv.includes("--dev");
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
function runMigrations(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/migrate.ts"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

async function main() {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }

  // Built before the embedded database starts: the build needs no database, and
  // it blocks this process, which serves that database.
  if (!dev) buildIfNeeded();

  let embedded: EmbeddedServer | null = null;
  if (!env.DATABASE_URL && !(await findRunningEmbeddedServer(env.SAIRAPH_DATA_DIR))) {
    embedded = await startEmbeddedServer(env.SAIRAPH_DATA_DIR, 54329);
    console.log(`[sairaph] embedded Postgres in ${env.SAIRAPH_DATA_DIR} on 127.0.0.1:${embedded.port}`);
  }

  // Migrations run in a short-lived process: the WebAssembly schema engine's memory
  // cannot be given back, and the launcher lives as long as the server. (Not
  // spawnSync: this process serves the embedded database the migration talks to.)
  const migration = await runMigrations();
  if (migration.code !== 0) {
    await embedded?.stop();
    fail("[sairaph] not started: the database check failed (see above)");
  }
  if (!/No pending migrations/.test(migration.stdout)) process.stdout.write(`[sairaph] ${migration.stdout}`);

  // A V8 heap cap keeps the server's memory near its working set: with the default
  // (a share of the machine's RAM) the garbage collector lets it grow well past 400 MB.
  const heap = [`--max-old-space-size=${env.SAIRAPH_MAX_HEAP_MB}`];
  const child = spawn(process.execPath, [...heap, nextBin, dev ? "dev" : "start", "-p", String(env.PORT)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["inherit", "pipe", "inherit"],
  });
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (/Ready in|ready on|started server/i.test(chunk.toString())) {
      console.log(`\n  Sairaph Mail is running: open ${env.SAIRAPH_PUBLIC_URL}\n`);
    }
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 0));
}

main().catch((err: unknown) => fail(`[sairaph] failed to start: ${err instanceof Error ? err.message : String(err)}`));
