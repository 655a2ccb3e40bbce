// npm start — builds if needed, starts the embedded database when DATABASE_URL is
// unset, applies pending migrations, then serves the app (`next start`).
import { spawn } from "node:child_process";
import path from "node:path";
import { applyMigrations } from "@/lib/db/schema-engine";
import { findRunningEmbeddedServer, startEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";
import { EnvError, getEnv } from "@/lib/env";
import { buildIfNeeded } from "./build-if-needed";

const dev = process.argv.includes("--dev");
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
async function main() {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }

  let embedded: EmbeddedServer | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    url = (await findRunningEmbeddedServer(env.SAIRAPH_DATA_DIR)) ?? undefined;
    if (!url) {
      embedded = await startEmbeddedServer(env.SAIRAPH_DATA_DIR, 54329);
      url = embedded.url;
      console.log(`[sairaph] embedded Postgres in ${env.SAIRAPH_DATA_DIR} on 127.0.0.1:${embedded.port}`);
    }
  }

  try {
    const applied = await applyMigrations(url);
    if (applied.length) console.log(`[sairaph] applied migrations: ${applied.join(", ")}`);
  } catch (err) {
    await embedded?.stop();
    fail(`[sairaph] migrations failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  if (!dev) buildIfNeeded();

  const child = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(env.PORT)], {
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
