// npm run worker — the outbox worker alone (e.g. beside app instances started with
// SAIRAPH_WORKER=off). Any number may run: jobs are claimed with SKIP LOCKED.
// SIGINT/SIGTERM finish the jobs in hand, then exit.
import { withDatabaseUrl } from "@/lib/db/connection";
import { disconnectDb } from "@/lib/db";
import { EnvError, getEnv } from "@/lib/env";
import { startOutboxWorker, stopOutboxWorker } from "@/lib/outbound/outbox-worker";

async function main() {
  try {
    getEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // With the embedded database this joins the running app's server, or serves the files itself.
  await withDatabaseUrl(async () => {
    startOutboxWorker();
    console.log(`[sairaph] outbox worker running (provider: ${getEnv().MAIL_PROVIDER})`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    console.log("[sairaph] stopping the outbox worker…");
    await stopOutboxWorker();
    await disconnectDb();
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[sairaph] worker failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
