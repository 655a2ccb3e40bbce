// Where the database is: DATABASE_URL, or the embedded server in the data folder.
import "server-only";
import { getEnv } from "@/lib/env";
import { findRunningEmbeddedServer, startEmbeddedServer } from "@/lib/db/embedded";

/**
 * Runs `work` with a database URL. With no DATABASE_URL it joins the embedded server
 * the running app serves, or starts one for the duration of `work` (CLI, migrations).
 */
export async function withDatabaseUrl<T>(work: (url: string) => Promise<T>): Promise<T> {
  const env = getEnv();
  if (env.DATABASE_URL) return work(env.DATABASE_URL);
  const running = await findRunningEmbeddedServer(env.SAIRAPH_DATA_DIR);
  if (running) return work(running);
  const server = await startEmbeddedServer(env.SAIRAPH_DATA_DIR);
  try {
    return await work(server.url);
  } finally {
    await server.stop();
  }
}
