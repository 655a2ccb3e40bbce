import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { ApiError } from "@/lib/errors";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

/** DELETE …/suppressions/{address}: 404 when this mailbox's list does not hold it. */
export async function removeSuppression(input: { tenantId: string; mailboxId: string; address: string }): Promise<void> {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const { count } = await getDb().suppression.deleteMany({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, addressHash: suppressionHash(cipher, input.address) },
  });
  if (count === 0) throw new ApiError("not_found", "This address is not on the mailbox's suppression list");
}
