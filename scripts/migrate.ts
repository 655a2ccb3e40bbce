// npm run db:migrate — applies pending migrations to DATABASE_URL or the embedded database.
import { applyMigrations } from "@/lib/db/schema-engine";
import { withDatabaseUrl } from "@/lib/db/connection";

async function main() {
  await withDatabaseUrl(async (url) => {
    const applied = await applyMigrations(url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`db:migrate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
