// The rest of the send transaction, after the message row is written, in ONE
// statement: the suppression check, the limit consumption, the outbox job and the
// idempotency response. A suppressed recipient or a full window changes nothing here
// and the caller's throw rolls the message back; the limit counters are the last rows
// locked, so a busy mailbox holds its counter lock only for the commit.
import "server-only";
import type { Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { assertWithinSendLimits, sendLimitCtes, sendLimitParams } from "@/lib/limits/consume-send-limit";
import { SEND_GUARD_CTES, SEND_OUTCOME_SELECT, completeIdempotencyCte } from "@/lib/outbound/send-acceptance-sql";

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
    `WITH ${SEND_GUARD_CTES}, ${sendLimitCtes(10)}, job AS (
       INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT $4, $2, $5, $1, $6, '{}'::jsonb, 'pending', 0, 8, now(), now(), now()
       WHERE EXISTS (SELECT 1 FROM minute) AND EXISTS (SELECT 1 FROM day)
       RETURNING id
     ), ${completeIdempotencyCte(7)}
     ${SEND_OUTCOME_SELECT}`,
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
