// The parts of the one-statement send acceptance that both writers share (a new
// conversation in store-outbound-new-thread.ts, a reply in commit-outbound.ts): the suppression
// and mailbox guard, completing the idempotency record, and the outcome row.
// Parameters $1, $2 and $3 are always the mailbox id, tenant id and recipient hashes.
import "server-only";

/** CTEs `suppressed` and `mb`: `mb` has a row only for an active mailbox with no suppressed recipient. */
export const SEND_GUARD_CTES = `suppressed AS (
       SELECT "addressHash" FROM "Suppression"
       WHERE "tenantId" = $2 AND "mailboxId" = $1 AND "addressHash" = ANY($3::text[])
     ), mb AS (
       SELECT "tenantId", "sendPerMinute" AS pm, "sendPerDay" AS pd FROM "Mailbox"
       WHERE id = $1 AND "tenantId" = $2 AND status = 'active' AND NOT EXISTS (SELECT 1 FROM suppressed)
     )`;

/** CTE `idem`: completes the idempotency record $first with status $first+1 and sealed response $first+2, once `job` exists. */
export function completeIdempotencyCte(first: number): string {
  return `idem AS (
       UPDATE "IdempotencyRecord" SET state = 'completed', "responseStatus" = $${first + 1}::int, "responseCipher" = $${first + 2}::bytea, "lockedUntil" = now()
       WHERE id = $${first} AND "tenantId" = $2 AND EXISTS (SELECT 1 FROM job)
       RETURNING id
     )`;
}

/** The single outcome row both statements end with (suppressed hashes, limits, counts, job, idempotency). */
export const SEND_OUTCOME_SELECT = `SELECT (SELECT array_agg("addressHash") FROM suppressed) AS suppressed,
            (SELECT pm FROM mb) AS pm, (SELECT pd FROM mb) AS pd,
            (SELECT count FROM minute) AS minute, (SELECT count FROM day) AS day,
            (SELECT id FROM job) AS job, (SELECT count(*) FROM idem) AS idem`;

/** The row SEND_OUTCOME_SELECT returns (idem: how many idempotency records were completed, 0 or 1). */
export type SendOutcome = {
  suppressed: string[] | null;
  pm: number | null;
  pd: number | null;
  minute: number | null;
  day: number | null;
  job: string | null;
  idem: bigint | number | string;
};
