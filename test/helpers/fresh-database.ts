// A new, empty database on the server of `baseUrl` (tests, browser tests, benchmarks
// each get their own), dropped again afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";

async function run(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createFreshDatabase(baseUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sairaph_${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await run(baseUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => run(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
