// The one place where what happened to an arriving message is counted. Dropped mail
// (no mailbox of this deployment for the address) is counted per day in the
// database, inside the delivery's transaction, so a retried delivery is not counted
// twice; the process metrics (GET /api/metrics) are counted once the transaction
// committed, so a rolled-back attempt counts nothing.
import "server-only";
import type { Tx } from "@/lib/db";
import { countInbound } from "@/lib/observability/metrics";

export type IngestOutcome = {
  /** The webhook id was processed before: nothing new was stored or counted. */
  duplicate: boolean;
  /** Copies stored now, one per receiving mailbox. */
  stored: { tenantId: string; mailboxId: string; messageId: string; threadId: string }[];
  /** Receiving mailboxes that already had this Message-ID. */
  alreadyStored: number;
  /** Recipients with no mailbox here (see ingestMessage for how they are counted), plus copies a receive block list refused. */
  dropped: number;
  /** Copies held in quarantine (a receive allow list does not name the sender), never announced. */
  quarantined: number;
  /** Bounce or complaint reports linked to a message a mailbox sent. */
  reportsApplied: number;
};

export async function recordIngestOutcome(tx: Tx, outcome: IngestOutcome): Promise<void> {
  if (outcome.duplicate || outcome.dropped === 0) return;
  await tx.$executeRaw`
    INSERT INTO "DroppedInboundCount" (day, count) VALUES (current_date, ${outcome.dropped})
    ON CONFLICT (day) DO UPDATE SET count = "DroppedInboundCount".count + excluded.count`;
}

/** After commit: one metric count per copy offered to a mailbox, and per dropped recipient. */
export function countIngestOutcome(outcome: IngestOutcome): void {
  if (outcome.duplicate) {
    countInbound("dropped", "duplicate");
    return;
  }
  for (let i = 0; i < outcome.stored.length; i++) countInbound("accepted");
  for (let i = 0; i < outcome.quarantined; i++) countInbound("accepted");
  for (let i = 0; i < outcome.alreadyStored; i++) countInbound("dropped", "duplicate");
  for (let i = 0; i < outcome.dropped; i++) countInbound("dropped", "unknown_recipient");
}
