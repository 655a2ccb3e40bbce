// The rest of the send transaction, after the message row is written, in ONE
// statement: the suppression check, the limit consumption, the outbox job and the
// idempotency response. A suppressed recipient or a full window changes nothing here
// and the caller's throw rolls the message back; the limit counters are the last rows
// locked, so a busy mailbox holds its counter lock only for the commit.
import "server-only";
import type { Tx } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { assertWithinSendLimits, sendLimitCtes, sendLimitParams } from "@/lib/limits/consume-send-limit";

type Row = { suppressed: string[] | null; pm: number | null; pd: number | null; minute: number | null; day: number | null; job: string | null };

export async function commitOutbound(
  tx: Tx,
  input: {
    tenantId: string;
    mailboxId: string;
    messageId: string;
    jobId: string;
    jobKind: string;
    /** Blind suppression hashes of every recipient, mapped back to the address for the 422. */
    recipientHashes: Map<string, string>;
    idempotency: { recordId: string; status: number; sealed: Uint8Array } | null;
    now?: number;
  },
): Promise<void> {
  const now = input.now ?? Date.now();
  const limits = sendLimitParams(input.mailboxId, now);
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `WITH suppressed AS (
       SELECT "addressHash" FROM "Suppression"
       WHERE "tenantId" = $2 AND "mailboxId" = $1 AND "addressHash" = ANY($3::text[])
     ), mb AS (
       SELECT "tenantId", "sendPerMinute" AS pm, "sendPerDay" AS pd FROM "Mailbox"
       WHERE id = $1 AND "tenantId" = $2 AND status = 'active' AND NOT EXISTS (SELECT 1 FROM suppressed)
     ), ${sendLimitCtes(10)}, job AS (
       INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT $4, $2, $5, $1, $6, '{}'::jsonb, 'pending', 0, 8, now(), now(), now()
       WHERE EXISTS (SELECT 1 FROM minute) AND EXISTS (SELECT 1 FROM day)
       RETURNING id
     ), idem AS (
       UPDATE "IdempotencyRecord" SET state = 'completed', "responseStatus" = $8::int, "responseCipher" = $9::bytea, "lockedUntil" = now()
       WHERE id = $7 AND "tenantId" = $2 AND EXISTS (SELECT 1 FROM job)
       RETURNING id
     )
     SELECT (SELECT array_agg("addressHash") FROM suppressed) AS suppressed,
            (SELECT pm FROM mb) AS pm, (SELECT pd FROM mb) AS pd,
            (SELECT count FROM minute) AS minute, (SELECT count FROM day) AS day,
            (SELECT id FROM job) AS job, (SELECT count(*) FROM idem) AS idem`,
    input.mailboxId,
    input.tenantId,
    [...input.recipientHashes.keys()],
    input.jobId,
    input.jobKind,
    input.messageId,
    input.idempotency?.recordId ?? null,
    input.idempotency?.status ?? null,
    input.idempotency ? Buffer.from(input.idempotency.sealed) : null,
    ...limits,
  );
  const row = rows[0];
  if (row.suppressed?.length) {
    const addresses = [...new Set(row.suppressed.map((h) => input.recipientHashes.get(h)!))];
    throw new ApiError("recipient_suppressed", `This mailbox may not send to ${addresses.join(", ")} (suppressed)`, { suppressed: addresses });
  }
  assertWithinSendLimits(row, now);
  if (!row.job) throw new Error("commitOutbound: the outbox job was not written");
}
