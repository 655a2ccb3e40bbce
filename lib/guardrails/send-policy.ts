// The mailbox's send policy (SPEC §13): open (default), approval (every send waits
// for a person) or approval_new_recipients (a send waits when any recipient is an
// address this mailbox never exchanged mail with). "Exchanged mail with" is the
// MailboxCorrespondent table: the blind hash of every recipient of a send that was
// queued (accepted or approved) and of the sender of every received message. A
// message waiting for approval adds nobody, so an agent cannot make an address known
// by trying to write to it.
import "server-only";
import type { Tx } from "@/lib/db";
import { getDb } from "@/lib/db";

export const SEND_POLICIES = ["open", "approval", "approval_new_recipients"] as const;
export type SendPolicy = (typeof SEND_POLICIES)[number];

/**
 * Whether a send from the mailbox to these recipients (their blind hashes, as
 * suppressionHash gives them) must wait for approval. One indexed statement: the
 * mailbox row, and only under approval_new_recipients the known correspondents.
 */
export async function sendNeedsApproval(input: { tenantId: string; mailboxId: string; recipientHashes: string[] }): Promise<boolean> {
  const hashes = [...new Set(input.recipientHashes)];
  const rows = await getDb().$queryRaw<{ policy: SendPolicy; known: number | null }[]>`
    SELECT m."sendPolicy"::text AS policy,
           CASE WHEN m."sendPolicy" = 'approval_new_recipients' THEN (
             SELECT count(*)::int FROM "MailboxCorrespondent" c
             WHERE c."mailboxId" = m.id AND c."tenantId" = m."tenantId" AND c."addressHash" = ANY(${hashes}::text[])
           ) END AS known
    FROM "Mailbox" m WHERE m.id = ${input.mailboxId} AND m."tenantId" = ${input.tenantId}`;
  const row = rows[0];
  if (!row || row.policy === "open") return false;
  if (row.policy === "approval") return true;
  return (row.known ?? 0) < hashes.length;
}

/** Records the sender of a received message as a correspondent of the mailbox (inside the receiving transaction). */
export async function rememberCorrespondents(tx: Tx, input: { tenantId: string; mailboxId: string; addressHashes: string[] }): Promise<void> {
  const hashes = [...new Set(input.addressHashes)].sort();
  if (hashes.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "MailboxCorrespondent" ("tenantId", "mailboxId", "addressHash")
    SELECT ${input.tenantId}, ${input.mailboxId}, h FROM unnest(${hashes}::text[]) AS h ORDER BY h
    ON CONFLICT DO NOTHING`;
}
