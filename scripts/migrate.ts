// npm run db:migrate — applies pending migrations to DATABASE_URL or the embedded
// database, then checks that every mailbox data key is wrapped by a master key this
// deployment has (npm start runs it before serving and refuses to start otherwise).
import { applyMigrations } from "@/lib/db/schema-engine";
import { withDatabaseUrl } from "@/lib/db/connection";
import { disconnectDb } from "@/lib/db";
import { masterKeys } from "@/lib/crypto/master-key";
import { dataKeysWrappedByOthers, unreadableDataKeysMessage } from "@/lib/mailboxes/rotate-master-key";

async function main() {
  await withDatabaseUrl(async (url) => {
    const applied = await applyMigrations(url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
    // A data key wrapped by a master key this deployment does not have means mailboxes
    // that cannot be read: refuse to start, naming the fix.
    const left = await dataKeysWrappedByOthers(masterKeys().map((k) => k.id));
    await disconnectDb();
    if (left.length > 0) throw new StartupRefusal(unreadableDataKeysMessage(left));
  });
}

class StartupRefusal extends Error {}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof StartupRefusal ? `[sairaph] ${err.message}` : `db:migrate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
