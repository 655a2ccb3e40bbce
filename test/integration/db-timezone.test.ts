// A PostgreSQL server whose default time zone is not UTC (common on self-hosted
// installs) must not shift the UTC timestamps the app writes and compares with now().
// It bites on any PostgreSQL, the embedded one included.
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb, getPool } from "@/lib/db";
import { touchLastUsed, lookupKey } from "@/lib/keys/authenticate-key";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

async function setDatabaseTimeZone(zone: string | null) {
  const { rows } = await getPool().query<{ db: string }>("SELECT current_database() AS db");
  const db = rows[0].db.replace(/"/g, '""');
  await getPool().query(zone ? `ALTER DATABASE "${db}" SET timezone = '${zone}'` : `ALTER DATABASE "${db}" RESET timezone`);
  await disconnectDb(); // new connections pick the database default up
}

describe("database sessions on a server in another time zone", () => {
  afterAll(async () => setDatabaseTimeZone(null));

  it("run in UTC, so now() written by SQL reads back as the current UTC time", async () => {
    const world = await createTestWorld();
    await setDatabaseTimeZone("Asia/Kathmandu"); // UTC+05:45
    const { rows } = await getPool().query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
    expect(rows[0].tz).toBe("UTC");

    const key = await lookupKey(world.keys.read);
    await touchLastUsed(key);
    const row = await getDb().apiKey.findFirstOrThrow({ where: { id: key.id } });
    expect(Math.abs(row.lastUsedAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
