import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { ApiError } from "@/lib/http/errors";
import { normalizeAddress } from "@/lib/outbound/addresses";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

/** The recipients this mailbox must not send to (one indexed query), as the caller wrote them. */
export async function findSuppressedRecipients(input: {
  tenantId: string;
  mailboxId: string;
  cipher: MailboxCipher;
  addresses: string[];
}): Promise<string[]> {
  if (input.addresses.length === 0) return [];
  const byHash = new Map<string, string>();
  for (const address of input.addresses) byHash.set(suppressionHash(input.cipher, address), normalizeAddress(address));
  const { rows } = await getPool().query<{ addressHash: string }>(
    `SELECT "addressHash" FROM "Suppression" WHERE "tenantId" = $1 AND "mailboxId" = $2 AND "addressHash" = ANY($3::text[])`,
    [input.tenantId, input.mailboxId, [...byHash.keys()]],
  );
  return rows.map((r) => byHash.get(r.addressHash)!);
}

/** 422 recipient_suppressed, listing the suppressed addresses; nothing is sent or stored. */
export async function assertNoSuppressedRecipients(input: Parameters<typeof findSuppressedRecipients>[0]): Promise<void> {
  const suppressed = await findSuppressedRecipients(input);
  if (suppressed.length) {
    throw new ApiError("recipient_suppressed", `This mailbox may not send to ${suppressed.join(", ")} (suppressed)`, {
      suppressed,
    });
  }
}
