import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** Deletes a message with its attachments; its thread goes when its last message does. */
export async function deleteMessage(input: { tenantId: string; mailboxId: string; id: string }) {
  const { tenantId, mailboxId, id } = input;
  if (!isUuid(id)) throw new ApiError("not_found", "Message not found");
  await getDb().$transaction(async (tx) => {
    const row = await tx.message.findFirst({ where: { id, tenantId, mailboxId }, select: { id: true, threadId: true } });
    if (!row) throw new ApiError("not_found", "Message not found");
    await tx.attachment.deleteMany({ where: { tenantId, mailboxId, messageId: id } });
    await tx.message.deleteMany({ where: { id, tenantId, mailboxId } });
    const remaining = await tx.message.findFirst({
      where: { tenantId, mailboxId, threadId: row.threadId },
      orderBy: { id: "desc" },
      select: { createdAt: true },
    });
    if (!remaining) {
      await tx.thread.deleteMany({ where: { tenantId, mailboxId, id: row.threadId } });
    } else {
      const messageCount = await tx.message.count({ where: { tenantId, mailboxId, threadId: row.threadId } });
      await tx.thread.updateMany({
        where: { tenantId, mailboxId, id: row.threadId },
        data: { messageCount, lastMessageAt: remaining.createdAt },
      });
    }
  });
  return { id, deleted: true as const };
}
