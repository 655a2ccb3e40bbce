// Every column of every table as text (bytea as hex and as escaped text), for tests
// that prove a secret or a canary is stored nowhere.
import { getPool } from "@/lib/db";

export async function dumpDatabase(): Promise<string> {
  const pool = getPool();
  const { rows: tables } = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const { rows } = await pool.query(`SELECT * FROM "${tablename}"`);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        if (Buffer.isBuffer(value)) parts.push(value.toString("hex"), value.toString("latin1"), value.toString("base64"));
        else parts.push(typeof value === "object" ? JSON.stringify(value) : String(value));
      }
    }
  }
  return parts.join("\n");
}
