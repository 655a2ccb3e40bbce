// npm start — builds if needed, starts the embedded PostgreSQL when DATABASE_URL is
// unset, applies pending migrations (in a short-lived process), then runs the app
// server (scripts/serve.mjs). SIGTERM/SIGINT: the app drains its requests and stops,
// then the embedded database stops, and this exits 0.
import { spawn } from "node:child_process";
import path from "node:path";
import { EmbeddedDatabaseError, findRunningEmbeddedServer, startEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";
import { EnvError, getEnv } from "@/lib/env";
import { buildIfNeeded } from "./build-if-needed";

const dev = process.argv.includes("--dev");
const APP_STOP_MS = 20_000;

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
  if (!dev) buildIfNeeded();

  let embedded: EmbeddedServer | null = null;
  let stopping = false;
  const stopEmbedded = async () => {
    await embedded?.stop().catch((err: unknown) => console.error(`[sairaph] could not stop the embedded PostgreSQL: ${String(err)}`));
  };
  // A signal before the app is up: stop what was started so far.
  const early = () => {
    stopping = true;
    void stopEmbedded().then(() => process.exit(0));
  };
  process.once("SIGINT", early);
  process.once("SIGTERM", early);

  if (!env.DATABASE_URL && !(await findRunningEmbeddedServer(env.SAIRAPH_DATA_DIR))) {
    try {
      embedded = await startEmbeddedServer(env.SAIRAPH_DATA_DIR);
    } catch (err) {
      if (err instanceof EmbeddedDatabaseError) fail(`[sairaph] ${err.message}`);
      throw err;
    }
    console.log(`[sairaph] embedded PostgreSQL in ${env.SAIRAPH_DATA_DIR} on 127.0.0.1:${embedded.port}`);
  }

  // Migrations run in their own process: the WebAssembly schema engine's memory
  // cannot be given back, and this process lives as long as the server.
  const migration = await runMigrations();
  if (migration.code !== 0) {
    await stopEmbedded();
    fail("[sairaph] not started: the database check failed (see above)");
  }
  if (!/No pending migrations/.test(migration.stdout)) process.stdout.write(`[sairaph] ${migration.stdout}`);
  if (stopping) return;

  // A V8 heap cap keeps the server's memory near its working set: with the default
  // (a share of the machine's RAM) the garbage collector lets it grow well past 400 MB.
  const serveArgs = [`--max-old-space-size=${env.SAIRAPH_MAX_HEAP_MB}`, path.join("scripts", "serve.mjs"), "--port", String(env.PORT)];
  const app = spawn(process.execPath, dev ? [...serveArgs, "--dev"] : serveArgs, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(dev ? {} : { NODE_ENV: "production" }) },
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  app.on("message", (message: { ready?: boolean }) => {
    if (message.ready) console.log(`\n  Sairaph Mail is running: open ${env.SAIRAPH_PUBLIC_URL}\n`);
  });

  process.removeListener("SIGINT", early);
  process.removeListener("SIGTERM", early);
  const appExited = new Promise<number>((resolve) => app.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const stop = async (signal: NodeJS.Signals | null) => {
    if (stopping) return;
    stopping = true;
    if (signal && app.exitCode === null) app.kill(signal);
    const timer = setTimeout(() => app.kill("SIGKILL"), APP_STOP_MS);
    const code = await appExited;
    clearTimeout(timer);
    await stopEmbedded();
    process.exit(signal ? 0 : code);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  void appExited.then(() => stop(null));
}

main().catch((err: unknown) => fail(`[sairaph] failed to start: ${err instanceof Error ? err.message : String(err)}`));
