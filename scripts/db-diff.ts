// npm run db:diff -- <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the last migrated datamodel and prisma/schema.prisma.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { withDatabaseUrl } from "@/lib/db/connection";
import { MIGRATIONS_DIR, SCHEMA_PATH, SNAPSHOT_PATH, diffDatamodels } from "@/lib/db/schema-engine";

async function main() {
  const name = (process.argv[2] ?? "").trim();
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:diff -- <name> (lowercase letters, digits, _)");
  const current = await readFile(SCHEMA_PATH, "utf8");
  const previous = existsSync(SNAPSHOT_PATH) ? await readFile(SNAPSHOT_PATH, "utf8") : null;
  // The engine checks its connection when created, so it needs a real database.
  const sql = await withDatabaseUrl((url) => diffDatamodels(url, previous, current));
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("The schema has not changed since the last migration; nothing written.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await writeFile(SNAPSHOT_PATH, current);
  const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  if (!existsSync(lock)) await writeFile(lock, 'provider = "postgresql"\n');
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`db:diff failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
