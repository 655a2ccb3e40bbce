// A bounce or complaint that arrived as mail, applied to the outbound message it
// reports: found by its RFC Message-ID among the messages the RECEIVING mailbox sent
// (a report goes back to the sender's address, so it can only ever touch that
// mailbox's own messages), its status moved forward, and a hard bounce or a
// complaint suppressing the failed recipient for that mailbox only (SPEC §4). Only
// an address the original was sent to can be suppressed: a forged report cannot
// put anyone else on the list.
import "server-only";
import type { Tx } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { recordDeliveryOutcome } from "@/lib/events/delivery-outcome-events";
import { isHardBounce, type DeliveryReport } from "@/lib/inbound/parse-dsn";
import { openMessage } from "@/lib/messages/seal-message";
import { messageIdHash } from "@/lib/messages/store-message";
import { normalizeAddress } from "@/lib/outbound/addresses";
import { statusesBefore } from "@/lib/outbound/apply-delivery-event";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { addSuppressionInTx } from "@/lib/suppression/add-suppression";

type ReportStatus = "delayed" | "delivered" | "bounced" | "complained";

export type AppliedReport = { originalId: string; threadId: string; status: ReportStatus | null; suppressed: number };

/** Encryptions applying the report may need (one per suppressed address): reserve them before the transaction. */
export function reportEncryptions(report: DeliveryReport | null): number {
  return report ? report.recipients.length : 0;
}

function reportStatus(report: DeliveryReport): ReportStatus | null {
  if (report.kind === "complaint") return report.feedbackType === "not-spam" ? null : "complained";
  const statuses = report.recipients.map((r) => (r.action === "failed" ? "bounced" : r.action === "delayed" ? "delayed" : r.action === "delivered" ? "delivered" : null));
  let best: ReportStatus | null = null;
  for (const s of statuses) if (s && (best === null || statusesBefore(s).includes(best))) best = s;
  return best;
}

function reasonOf(report: DeliveryReport): string | null {
  if (report.kind === "complaint") return `Complaint (${report.feedbackType.slice(0, 40)})`;
  const failed = report.recipients.find((r) => r.action === "failed") ?? report.recipients.find((r) => r.action === "delayed");
  if (!failed) return null;
  const text = [failed.status, failed.diagnostic].filter(Boolean).join(" ").slice(0, 1000);
  return text ? redactAddresses(text) : null;
}

/** Links the report to the mailbox's original message and applies it; null when no such message. */
export async function applyDeliveryReport(
  tx: Tx,
  input: { tenantId: string; mailboxId: string; cipher: MailboxCipher; report: DeliveryReport },
): Promise<AppliedReport | null> {
  const { tenantId, mailboxId, cipher, report } = input;
  if (!report.originalMessageId) return null;
  const original = await tx.message.findFirst({
    where: { tenantId, mailboxId, direction: "outbound", rfcMessageIdHash: messageIdHash(cipher, report.originalMessageId) },
    select: { id: true, threadId: true, metaCipher: true },
  });
  if (!original) return null;

  const status = reportStatus(report);
  let statusMoved = false;
  if (status) {
    const moved = await tx.$executeRawUnsafe(
      `UPDATE "Message" SET status = $1::"MessageStatus", "statusReason" = coalesce($2, "statusReason"), "updatedAt" = now()
       WHERE id = $3 AND "tenantId" = $4 AND status = ANY($5::"MessageStatus"[])`,
      status,
      reasonOf(report),
      original.id,
      tenantId,
      statusesBefore(status),
    );
    statusMoved = moved > 0;
  }

  const { meta } = openMessage(cipher, original, { full: false });
  const sentTo = [...meta.to, ...meta.cc, ...meta.bcc].map((p) => normalizeAddress(p.address));
  let failed: string[];
  if (report.kind === "bounce") failed = report.recipients.filter(isHardBounce).map((r) => r.address);
  else if (status !== "complained") failed = [];
  // Many complaint loops redact the recipient; a message sent to one address can only be about that one.
  else failed = report.recipients.length ? report.recipients : sentTo.length === 1 ? sentTo : [];

  let suppressed = 0;
  for (const address of new Set(failed.filter((a) => sentTo.includes(a)))) {
    const { created } = await addSuppressionInTx(tx, {
      tenantId,
      mailboxId,
      cipher,
      address,
      reason: report.kind === "complaint" ? "complaint" : "bounce",
      messageId: original.id,
    });
    if (created) suppressed += 1;
  }
  await recordDeliveryOutcome(tx, { tenantId, mailboxId, messageId: original.id, threadId: original.threadId, status, statusMoved, suppressed });
  return { originalId: original.id, threadId: original.threadId, status, suppressed };
}
