import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openMessage } from "@/lib/messages/seal-message";
import { toMessageDto } from "@/lib/messages/message-dto";
import { toThreadDtos } from "@/lib/messages/list-threads";

/** The newest messages a thread returns in full, oldest first. */
export const THREAD_MESSAGE_LIMIT = 100;

/** A thread of this mailbox with its messages (oldest first, with bodies); 404 otherwise. */
export async function getThread(input: { tenantId: string; mailboxId: string; id: string }) {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  if (!isUuid(input.id)) throw new ApiError("not_found", "Thread not found");
  const db = getDb();
  const thread = await db.thread.findFirst({
    where: { ...scope, id: input.id },
    select: { id: true, mailboxId: true, messageCount: true, lastMessageAt: true, createdAt: true },
  });
  if (!thread) throw new ApiError("not_found", "Thread not found");
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const rows = await db.message.findMany({
    where: { ...scope, threadId: thread.id },
    orderBy: { id: "desc" },
    take: THREAD_MESSAGE_LIMIT,
    omit: { searchTokens: true },
  });
  const [dto] = await toThreadDtos(scope, cipher, [thread]);
  return {
    ...dto,
    messages: rows.reverse().map((row) => toMessageDto(row, openMessage(cipher, row, { full: true }), { full: true })),
  };
}
