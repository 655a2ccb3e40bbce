import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { getMessageDto, getMessageRowOrThrow } from "@/lib/messages/get-message";

/** Marks read/unread and replaces labels (deduplicated, order kept). */
export async function updateMessage(input: {
  tenantId: string;
  mailboxId: string;
  id: string;
  changes: { read?: boolean; labels?: string[] };
}) {
  const { tenantId, mailboxId, id, changes } = input;
  await getMessageRowOrThrow({ tenantId, mailboxId, id });
  const data: { read?: boolean; labels?: string[] } = {};
  if (changes.read !== undefined) data.read = changes.read;
  if (changes.labels !== undefined) data.labels = [...new Set(changes.labels)];
  if (Object.keys(data).length) {
    const { count } = await getDb().message.updateMany({ where: { id, tenantId, mailboxId }, data });
    if (count === 0) throw new ApiError("not_found", "Message not found");
  }
  return getMessageDto({ tenantId, mailboxId, id });
}
