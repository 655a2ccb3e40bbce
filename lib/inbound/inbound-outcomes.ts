// The one place where what happened to an arriving message is counted. Dropped mail
// (no mailbox of this deployment for the address) is counted per day in the
// database, inside the delivery's transaction, so a retried delivery is not counted
// twice. Process metrics for accepted and dropped mail belong here too.
import "server-only";
import type { Tx } from "@/lib/db";

export type IngestOutcome = {
  /** The webhook id was processed before: nothing new was stored or counted. */
  duplicate: boolean;
  /** Copies stored now, one per receiving mailbox. */
  stored: { tenantId: string; mailboxId: string; messageId: string; threadId: string }[];
  /** Receiving mailboxes that already had this Message-ID. */
  alreadyStored: number;
  /** Recipients with no mailbox here (see ingestMessage for how they are counted). */
  dropped: number;
  /** Bounce or complaint reports linked to a message a mailbox sent. */
  reportsApplied: number;
};

export async function recordIngestOutcome(tx: Tx, outcome: IngestOutcome): Promise<void> {
  if (outcome.duplicate || outcome.dropped === 0) return;
  await tx.$executeRaw`
    INSERT INTO "DroppedInboundCount" (day, count) VALUES (current_date, ${outcome.dropped})
    ON CONFLICT (day) DO UPDATE SET count = "DroppedInboundCount".count + excluded.count`;
}
