import "server-only";
import { getDb, type Tx } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { uuidv7 } from "@/lib/ids";
import { normalizeAddress } from "@/lib/outbound/addresses";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";
import type { SuppressionDto } from "@/lib/suppression/schemas";

type Reason = "bounce" | "complaint" | "manual";

/**
 * Adds an address to one mailbox's list inside `tx`. An address already listed keeps
 * its first entry. Call `cipher.reserve(1)` before the transaction.
 */
export async function addSuppressionInTx(
  tx: Tx,
  input: { tenantId: string; mailboxId: string; cipher: MailboxCipher; address: string; reason: Reason; messageId?: string | null },
): Promise<{ created: boolean; suppression: SuppressionDto }> {
  const address = normalizeAddress(input.address);
  const id = uuidv7();
  const addressHash = suppressionHash(input.cipher, address);
  const addressCipher = new Uint8Array(input.cipher.encrypt(id, "suppression.address", address));
  const inserted = await tx.$queryRaw<{ id: string; createdAt: Date }[]>`
    INSERT INTO "Suppression" (id, "tenantId", "mailboxId", "addressHash", "addressCipher", reason, "messageId", "createdAt")
    VALUES (${id}, ${input.tenantId}, ${input.mailboxId}, ${addressHash}, ${addressCipher},
            ${input.reason}::"SuppressionReason", ${input.messageId ?? null}, now())
    ON CONFLICT ("tenantId", "mailboxId", "addressHash") DO NOTHING
    RETURNING id, "createdAt"`;
  if (inserted[0]) {
    return {
      created: true,
      suppression: {
        address,
        reason: input.reason,
        ...(input.messageId ? { messageId: input.messageId } : {}),
        createdAt: inserted[0].createdAt.toISOString(),
      },
    };
  }
  const existing = await tx.suppression.findFirstOrThrow({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, addressHash },
  });
  return {
    created: false,
    suppression: {
      address,
      reason: existing.reason,
      ...(existing.messageId ? { messageId: existing.messageId } : {}),
      createdAt: existing.createdAt.toISOString(),
    },
  };
}

/** POST …/suppressions: adds one address to this mailbox's list (reason defaults to manual). */
export async function addSuppression(input: { tenantId: string; mailboxId: string; address: string; reason: Reason }) {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  await cipher.reserve(1);
  return getDb().$transaction((tx) => addSuppressionInTx(tx, { ...input, cipher }));
}
