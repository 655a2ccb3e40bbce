// Re-wraps every DEK under the current master key without touching messages.
import "server-only";
import { getDb } from "@/lib/db";
import { currentMasterKey, masterKeys, unwrapDek, wrapDek } from "@/lib/crypto/master-key";

export async function rewrapAllDataKeys(): Promise<{ rewrapped: number }> {
  const db = getDb();
  const current = currentMasterKey();
  const keys = masterKeys();
  let rewrapped = 0;
  for (;;) {
    const batch = await db.mailboxDataKey.findMany({ where: { masterKeyId: { not: current.id } }, take: 500 });
    if (batch.length === 0) break;
    for (const row of batch) {
      const context = { tenantId: row.tenantId, mailboxId: row.mailboxId, version: row.version };
      const dek = unwrapDek(row, context, keys);
      const { wrappedKey, masterKeyId } = wrapDek(dek, context, current);
      await db.mailboxDataKey.update({ where: { id: row.id }, data: { wrappedKey: new Uint8Array(wrappedKey), masterKeyId } });
      rewrapped += 1;
    }
  }
  return { rewrapped };
}
