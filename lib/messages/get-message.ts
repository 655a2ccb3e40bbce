import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openMessage } from "@/lib/messages/seal-message";
import { toMessageDto } from "@/lib/messages/message-dto";
import type { MessageDto } from "@/lib/messages/schemas";

/** A message of this mailbox of this tenant, or 404: another mailbox's message is indistinguishable from none. */
export async function getMessageRowOrThrow({ tenantId, mailboxId, id }: { tenantId: string; mailboxId: string; id: string }) {
  if (!isUuid(id)) throw new ApiError("not_found", "Message not found");
  const row = await getDb().message.findFirst({ where: { id, tenantId, mailboxId } });
  if (!row) throw new ApiError("not_found", "Message not found");
  return row;
}

/** The full message (with text, html and headers), decrypted. */
export async function getMessageDto(input: { tenantId: string; mailboxId: string; id: string }): Promise<MessageDto> {
  const row = await getMessageRowOrThrow(input);
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  return toMessageDto(row, openMessage(cipher, row, { full: true }), { full: true });
}
