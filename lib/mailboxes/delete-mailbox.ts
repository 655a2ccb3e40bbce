import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { forgetMailboxCipher } from "@/lib/crypto/mailbox-cipher";

/**
 * Deletes a mailbox by crypto-shredding (SPEC §6): its data keys are destroyed, so
 * its stored mail can never be decrypted again, and its API keys are revoked, all in
 * one transaction. The rows themselves are purged later; the mailbox stays as a
 * tombstone marked "deleted".
 */
export async function deleteMailbox(input: { tenantId: string; mailboxId: string; actor: Actor }) {
  const result = await getDb().$transaction(async (tx) => {
    const mailbox = await tx.mailbox.findFirst({
      where: { id: input.mailboxId, tenantId: input.tenantId, status: { not: "deleted" } },
      select: { id: true, address: true },
    });
    if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
    const shredded = await tx.mailboxDataKey.deleteMany({ where: { tenantId: input.tenantId, mailboxId: mailbox.id } });
    const now = new Date();
    const revoked = await tx.apiKey.updateMany({
      where: { tenantId: input.tenantId, mailboxId: mailbox.id, revokedAt: null },
      data: { revokedAt: now },
    });
    const deleted = await tx.mailbox.update({
      where: { tenantId_id: { tenantId: input.tenantId, id: mailbox.id } },
      data: { status: "deleted", deletedAt: now },
      select: { id: true, address: true, status: true, deletedAt: true },
    });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "mailbox.deleted",
      targetType: "mailbox",
      targetId: mailbox.id,
      metadata: { address: mailbox.address, dataKeysDestroyed: shredded.count, keysRevoked: revoked.count },
    });
    return deleted;
  });
  forgetMailboxCipher(input.tenantId, input.mailboxId);
  return result;
}
