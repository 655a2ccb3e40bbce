import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { decodeCursor, toPage } from "@/lib/http/pagination";
import type { SuppressionDto } from "@/lib/suppression/schemas";

/** GET …/suppressions: newest first, cursor-paginated, addresses decrypted for this mailbox only. */
export async function listSuppressions(input: { tenantId: string; mailboxId: string; limit: number; cursor?: string }) {
  const before = decodeCursor(input.cursor);
  const rows = await getDb().suppression.findMany({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = toPage(rows, input.limit);
  const cipher = page.data.length ? await getMailboxCipher(input.tenantId, input.mailboxId) : null;
  const data: SuppressionDto[] = page.data.map((row) => ({
    address: cipher!.decrypt(row.id, "suppression.address", row.addressCipher).toString("utf8"),
    reason: row.reason,
    ...(row.messageId ? { messageId: row.messageId } : {}),
    createdAt: row.createdAt.toISOString(),
  }));
  return { data, nextCursor: page.nextCursor };
}
