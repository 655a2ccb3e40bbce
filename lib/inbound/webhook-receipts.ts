// Webhook ids already processed, per source (SPEC §5: kept at least 7 days, since
// providers retry for over a day and operators replay by hand). A receipt is written
// in the same transaction as the work it stands for, so a failed attempt leaves none
// and the retry runs again.
import "server-only";
import { getPool, type Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";

export type ReceiptSource = "inbound" | "resend" | "resend-email";

/** Receipts are deleted this long after they were written (at least the 7 days SPEC §5 asks for; lib/jobs/housekeeping.ts). */
export const RECEIPT_RETENTION_DAYS = 30;

/** Records the webhook id; false when it was recorded before (a retry). A concurrent insert waits for the first to commit. */
export async function recordWebhookReceipt(tx: Tx, receipt: { source: ReceiptSource; webhookId: string }, tenantId: string | null): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookReceipt" (id, source, "webhookId", "tenantId", "receivedAt")
    VALUES (${uuidv7()}, ${receipt.source}, ${receipt.webhookId}, ${tenantId}, now())
    ON CONFLICT (source, "webhookId") DO NOTHING RETURNING id`;
  return rows.length > 0;
}

/** Whether this webhook id was processed already (a cheap early answer; the transaction decides). */
export async function receiptExists(source: ReceiptSource, webhookId: string): Promise<boolean> {
  const { rowCount } = await getPool().query(`SELECT 1 FROM "WebhookReceipt" WHERE source = $1 AND "webhookId" = $2`, [source, webhookId]);
  return (rowCount ?? 0) > 0;
}
