// The rest of the send transaction, after the message row is written, in ONE
// statement: the suppression check, the limit consumption, the outbox job and the
// idempotency response. A suppressed recipient or a full window changes nothing here
// and the caller's throw rolls the message back; the limit counters are the last rows
// locked, so a busy mailbox holds its counter lock only for the commit. Both writers
// (a new thread on a pg client, a reply in a Prisma transaction) end with it, and so
// does approving a held message (lib/outbound/approve-message.ts).
// A queued send also records its recipients as correspondents of the mailbox (for the
// approval_new_recipients send policy). A send held for approval (status
// pending_approval, SPEC §13) runs only the suppression guard and the idempotency
// response: no job, no limit consumed, no correspondent, until it is approved.
import "server-only";
import type { Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { IdempotencyRecordLost } from "@/lib/idempotency/idempotency-records";
import { assertWithinSendLimits, sendLimitCtes, sendLimitParams } from "@/lib/limits/consume-send-limit";
import type { OutboundStoreInput } from "@/lib/outbound/store-outbound-new-thread";
import { SEND_GUARD_CTES, SEND_OUTCOME_SELECT, completeIdempotencyCte, type SendOutcome } from "@/lib/outbound/send-acceptance-sql";

/** Runs one statement with positional parameters in the caller's transaction (a Prisma tx or a pg client). */
export type TxQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

export const prismaTxQuery =
  (tx: Tx): TxQuery =>
  (sql, params) =>
    tx.$queryRawUnsafe<unknown[]>(sql, ...params);

/** A held send: the suppression guard and the idempotency response only ($4-$6); `job` is a marker, not a row. */
const HELD_SEND_SQL = `WITH ${SEND_GUARD_CTES}, job AS (SELECT 'held'::text AS id FROM mb), ${completeIdempotencyCte(4)}
     SELECT (SELECT array_agg("addressHash") FROM suppressed) AS suppressed,
            (SELECT pm FROM mb) AS pm, (SELECT pd FROM mb) AS pd, 1 AS minute, 1 AS day,
            (SELECT id FROM job) AS job, (SELECT count(*) FROM idem) AS idem`;

export async function commitOutbound(
  query: TxQuery,
  store: Pick<OutboundStoreInput, "tenantId" | "mailboxId" | "id" | "jobKind" | "recipientHashes" | "idempotency"> & { status?: OutboundStoreInput["status"] },
  /** The accepted response: sealed into the idempotency record, so a retry gets it again. */
  dto: unknown,
  now = Date.now(),
): Promise<void> {
  const input = {
    ...store,
    messageId: store.id,
    jobId: uuidv7(),
    idempotency: store.idempotency ? { recordId: store.idempotency.recordId, status: store.idempotency.status, sealed: store.idempotency.seal(dto) } : null,
  };
  const rows = (store.status === "pending_approval" ? await query(HELD_SEND_SQL, [
        input.mailboxId,
        input.tenantId,
        [...input.recipientHashes.keys()],
        input.idempotency?.recordId ?? null,
        input.idempotency?.status ?? null,
        input.idempotency ? Buffer.from(input.idempotency.sealed) : null,
      ]) : await query(
    `WITH ${SEND_GUARD_CTES}, ${sendLimitCtes(10)}, job AS (
       INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT $4, $2, $5, $1, $6, '{}'::jsonb, 'pending', 0, 8, now(), now(), now()
       WHERE EXISTS (SELECT 1 FROM minute) AND EXISTS (SELECT 1 FROM day)
       RETURNING id
     ), correspondents AS (
       INSERT INTO "MailboxCorrespondent" ("tenantId", "mailboxId", "addressHash")
       SELECT $2, $1, h FROM unnest($3::text[]) AS h WHERE EXISTS (SELECT 1 FROM job) ORDER BY h
       ON CONFLICT DO NOTHING
     ), ${completeIdempotencyCte(7)}
     ${SEND_OUTCOME_SELECT}`,
    [
      input.mailboxId,
      input.tenantId,
      [...input.recipientHashes.keys()],
      input.jobId,
      input.jobKind,
      input.messageId,
      input.idempotency?.recordId ?? null,
      input.idempotency?.status ?? null,
      input.idempotency ? Buffer.from(input.idempotency.sealed) : null,
      ...sendLimitParams(input.mailboxId, now),
    ],
  )) as SendOutcome[];
  const row = rows[0];
  if (row.suppressed?.length) {
    const addresses = [...new Set(row.suppressed.map((h) => input.recipientHashes.get(h)!))];
    throw new ApiError("recipient_suppressed", `This mailbox may not send to ${addresses.join(", ")} (suppressed)`, { suppressed: addresses });
  }
  assertWithinSendLimits(row, now);
  if (!row.job) throw new Error("commitOutbound: the outbox job was not written");
  // The record is locked since the transaction began (lockIdempotencyRecord); this only guards that promise.
  if (input.idempotency && Number(row.idem) !== 1) throw new IdempotencyRecordLost();
}
