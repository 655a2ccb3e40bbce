// Integration files call setupTestDatabase(): tables are emptied before the file runs.
import { afterAll, beforeAll } from "vitest";
import { disconnectDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";

export async function truncateAll(): Promise<void> {
  const pool = getPool();
  const { rows } = await pool.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  if (rows.length) await pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
}

export function setupTestDatabase(): void {
  beforeAll(async () => {
    resetEnvCache();
    await truncateAll();
  });
  afterAll(async () => {
    await disconnectDb();
  });
}
