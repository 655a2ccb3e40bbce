import "server-only";
import { recordEvent } from "@/lib/events/record-event";
import { getDb } from "@/lib/db";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { forgetMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";

/**
 * Crypto-shreds first: the data keys are destroyed in the same transaction that marks
 * the mailbox deleted and revokes its keys, so its ciphertext is unreadable from that
 * commit on. Then the rows are purged.
 */
export async function deleteMailbox(input: { tenantId: string; mailboxId: string; actor: Actor }) {
  const mailbox = await getMailboxOrThrow({ tenantId: input.tenantId, id: input.mailboxId });
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.mailboxDataKey.deleteMany({ where: { tenantId: input.tenantId, mailboxId: mailbox.id } });
    await tx.mailbox.update({
      where: { id: mailbox.id, tenantId: input.tenantId },
      data: { status: "deleted", deletedAt: new Date() },
    });
    // Every revocation is audited (SPEC §2), including the keys a deletion takes with it.
    const keys = await tx.apiKey.findMany({
      where: { tenantId: input.tenantId, mailboxId: mailbox.id, revokedAt: null },
      select: { id: true, kind: true, role: true, prefix: true, last4: true },
    });
    await tx.apiKey.updateMany({
      where: { tenantId: input.tenantId, id: { in: keys.map((k) => k.id) } },
      data: { revokedAt: new Date() },
    });
    for (const key of keys) {
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "key.revoked",
        targetType: "api_key",
        targetId: key.id,
        metadata: { kind: key.kind, role: key.role, prefix: key.prefix, last4: key.last4, mailboxId: mailbox.id, reason: "mailbox_deleted" },
      });
      await recordEvent(tx, {
        tenantId: input.tenantId,
        mailboxId: mailbox.id,
        type: "key.revoked",
        data: { keyId: key.id, kind: key.kind, role: key.role, prefix: key.prefix, last4: key.last4, reason: "mailbox_deleted" },
      });
    }
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "mailbox.deleted",
      targetType: "mailbox",
      targetId: mailbox.id,
      metadata: { address: mailbox.address },
    });
    await recordEvent(tx, { tenantId: input.tenantId, mailboxId: mailbox.id, type: "mailbox.deleted", data: { mailboxId: mailbox.id } });
  });
  forgetMailboxCipher(input.tenantId, mailbox.id);
  await purgeMailbox(input.tenantId, mailbox.id);
  return { id: mailbox.id, address: mailbox.address };
}

/** Deletes a shredded mailbox's rows in batches; safe to run again after a crash. */
export async function purgeMailbox(tenantId: string, mailboxId: string): Promise<void> {
  const db = getDb();
  const scope = { tenantId, mailboxId };
  for (;;) {
    const batch = await db.message.findMany({ where: scope, select: { id: true }, take: 1000 });
    if (batch.length === 0) break;
    await db.message.deleteMany({ where: { ...scope, id: { in: batch.map((m) => m.id) } } });
  }
  await db.attachment.deleteMany({ where: scope });
  await db.thread.deleteMany({ where: scope });
  await db.suppression.deleteMany({ where: scope });
  await db.listEntry.deleteMany({ where: scope });
  // Draft attachments go with their drafts (ON DELETE CASCADE).
  await db.draft.deleteMany({ where: scope });
  await db.mailboxCorrespondent.deleteMany({ where: scope });
  await db.idempotencyRecord.deleteMany({ where: scope });
  await db.job.deleteMany({ where: { tenantId, mailboxId, status: { in: ["pending", "failed", "done"] } } });
  await db.apiKey.deleteMany({ where: scope });
  await db.mailbox.deleteMany({ where: { id: mailboxId, tenantId, status: "deleted" } });
}
