// npm run cli -- <command> — see lib/cli/run-cli.ts and the README.
import { applyMigrations } from "@/lib/db/schema-engine";
import { findRunningEmbeddedServer, startEmbeddedServer } from "@/lib/db/embedded";
import { disconnectDb } from "@/lib/db";
import { EnvError, getEnv } from "@/lib/env";
import { runCli } from "@/lib/cli/run-cli";

async function main(): Promise<number> {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  // With the embedded database: join the running app's server, or own the files
  // for the duration of this command (and bring the schema up to date first).
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (env.DATABASE_URL) {
    await applyMigrations(env.DATABASE_URL);
  } else if (!(await findRunningEmbeddedServer(env.SAIRAPH_DATA_DIR))) {
    const server = await startEmbeddedServer(env.SAIRAPH_DATA_DIR);
    stopEmbedded = () => server.stop();
    await applyMigrations(server.url);
  }
  try {
    return await runCli(process.argv.slice(2));
  } finally {
    await disconnectDb();
    await stopEmbedded?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
