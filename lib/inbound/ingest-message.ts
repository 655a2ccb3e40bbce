// "A message arrives": the one path for every way in (the raw MIME webhook, Resend's
// email.received after its content is fetched, and the local provider delivering
// between mailboxes of this deployment). It routes the message to the receiving
// mailboxes, stores one copy per mailbox sealed under that mailbox's own key and
// threaded in that mailbox, applies a bounce or complaint report, and counts what
// it dropped, all in ONE transaction (storeDeliveryInTx): a failure anywhere rolls
// everything back, so the sender's retry finds nothing half-stored.
//
// The common case takes a fast path (lib/inbound/ingest-fast-path.ts: one mailbox, no
// report, no receive lists; two statements instead of ~13 round trips) with the same
// guarantees; anything else, or a fast path that finds lists apply, comes here.
//
// Exactly once: the webhook id (when there is one) is recorded in the same
// transaction (a second delivery with that id changes nothing), and each mailbox
// stores a Message-ID once (storeInboundMessageInTx).
import "server-only";
import { getDb, type Tx } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { receiveVerdict } from "@/lib/guardrails/lists";
import { QUARANTINE_ENCRYPTIONS, quarantineInTx } from "@/lib/guardrails/quarantine";
import { applyDeliveryReport, reportEncryptions, type AppliedReport } from "@/lib/inbound/apply-delivery-report";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import { countIngestOutcome, recordIngestOutcome, type IngestOutcome } from "@/lib/inbound/inbound-outcomes";
import { parseDeliveryReport, type DeliveryReport } from "@/lib/inbound/parse-dsn";
import { inboundRecipients, receivingMailboxes, type RoutedMailbox } from "@/lib/inbound/route-recipients";
import { encryptionsNeeded, type MessageContent } from "@/lib/messages/message-content";
import { screenMessage, type SecurityFlag } from "@/lib/messages/screen-message";
import { sealMessage, type SealedMessage } from "@/lib/messages/seal-message";
import { uuidv7 } from "@/lib/ids";
import { storeInboundMessageInTx } from "@/lib/messages/store-message";
import { fastPathEncryptions, ingestFastPath } from "@/lib/inbound/ingest-fast-path";
import { recordWebhookReceipt, type ReceiptSource } from "@/lib/inbound/webhook-receipts";

export type { IngestOutcome } from "@/lib/inbound/inbound-outcomes";

export type InboundDelivery = {
  /** Where the message came from and its id there: a second delivery with the same id stores nothing. */
  receipt: { source: ReceiptSource; webhookId: string } | null;
  content: MessageContent;
  /** Envelope recipients (SMTP RCPT TO); when empty, the To and Cc addresses. */
  envelopeRecipients: string[];
  /**
   * Whether addresses without a mailbox here count as dropped inbound mail. The local
   * provider passes false: its other recipients are the outside world, not lost mail.
   */
  countUnknown: boolean;
  receivedAt?: Date;
};

/** Labels a stored report carries, so an agent can tell a bounce from a person's reply. */
const REPORT_LABELS: Record<DeliveryReport["kind"], string> = { bounce: "bounce", complaint: "complaint" };

const DELIVERY_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

type Plan = {
  receipt: InboundDelivery["receipt"];
  content: MessageContent;
  /** presealed: the copy sealed before the transaction (none for quarantine). */
  mailboxes: (RoutedMailbox & { cipher: MailboxCipher; quarantine: boolean; presealed?: { id: string; sealed: SealedMessage } })[];
  report: DeliveryReport | null;
  dropped: number;
  receivedAt: Date;
  /** Screening flags (SPEC §13), computed once before the transaction for every copy. */
  securityFlags: SecurityFlag[];
};

export async function ingestMessage(delivery: InboundDelivery): Promise<IngestOutcome> {
  const { addresses, fromEnvelope, requested } = inboundRecipients(delivery.envelopeRecipients, delivery.content);
  const routed = await receivingMailboxes(addresses);
  // Envelope recipients are all meant for this deployment, so each unknown one is a
  // dropped delivery; To and Cc also name people elsewhere, so there only a message
  // that reaches no mailbox at all counts (once).
  const unknown = fromEnvelope ? requested - routed.length : routed.length === 0 ? 1 : 0;
  const report = routed.length ? parseDeliveryReport(delivery.content) : null;
  const dropped = delivery.countUnknown ? unknown : 0;
  const receivedAt = delivery.receivedAt ?? new Date();

  // The common case (one mailbox, not a report, no receive lists): two statements on a
  // raw connection (lib/inbound/ingest-fast-path.ts). null: lists apply, go the general way.
  if (routed.length === 1 && !report) {
    const [mailbox] = routed;
    const cipher = await getMailboxCipher(mailbox.tenantId, mailbox.id);
    await cipher.reserve(fastPathEncryptions(delivery.content));
    const fast = await ingestFastPath({
      receipt: delivery.receipt,
      content: delivery.content,
      mailbox,
      cipher,
      dropped,
      receivedAt,
      securityFlags: screenMessage(delivery.content),
    });
    if (fast) {
      countIngestOutcome(fast);
      return fast;
    }
  }

  // Reserving encryptions may write (on another connection): before the transaction.
  // A mailbox whose (or whose tenant's) receive block list names the sender (or its
  // @domain) stores nothing of it: that copy is dropped and counted, and the webhook
  // still answers 200. A non-empty receive allow list that does not name the sender
  // holds the copy in quarantine instead of storing a message (SPEC §13).
  const mailboxes: Plan["mailboxes"] = [];
  let blocked = 0;
  for (const mailbox of routed) {
    const cipher = await getMailboxCipher(mailbox.tenantId, mailbox.id);
    const verdict = await receiveVerdict(cipher, { tenantId: mailbox.tenantId, mailboxId: mailbox.id }, delivery.content.from.address);
    if (verdict === "block") {
      blocked += 1;
      continue;
    }
    const quarantine = verdict === "quarantine";
    await cipher.reserve((quarantine ? QUARANTINE_ENCRYPTIONS : encryptionsNeeded(delivery.content)) + reportEncryptions(report));
    // The copy is sealed here, before the transaction: large attachments are sealed by an offload worker meanwhile.
    const id = uuidv7();
    const presealed = quarantine ? undefined : { id, sealed: await sealMessage(cipher, id, delivery.content) };
    mailboxes.push({ ...mailbox, cipher, quarantine, presealed });
  }
  const plan: Plan = {
    receipt: delivery.receipt,
    content: delivery.content,
    mailboxes,
    report,
    dropped: dropped + blocked,
    receivedAt,
    // Linear in the message (at most 25 MB), and only when some mailbox will store it.
    securityFlags: mailboxes.length ? screenMessage(delivery.content) : [],
  };
  const outcome = await getDb().$transaction((tx) => storeDeliveryInTx(tx, plan), DELIVERY_TRANSACTION);
  countIngestOutcome(outcome);
  return outcome;
}

/** Everything one arriving message writes, inside one transaction. */
async function storeDeliveryInTx(tx: Tx, plan: Plan): Promise<IngestOutcome> {
  const outcome: IngestOutcome = { duplicate: false, stored: [], alreadyStored: 0, dropped: plan.dropped, quarantined: 0, reportsApplied: 0 };
  if (plan.receipt) {
    // A concurrent delivery with the same id waits here until this one commits, then finds the receipt.
    const tenantId = plan.mailboxes.length === 1 ? plan.mailboxes[0].tenantId : null;
    if (!(await recordWebhookReceipt(tx, plan.receipt, tenantId))) return { ...outcome, duplicate: true, dropped: 0 };
  }
  const events: (() => Promise<unknown>)[] = [];
  for (const mailbox of plan.mailboxes) {
    const scope = { tenantId: mailbox.tenantId, mailboxId: mailbox.id };
    const applied = plan.report ? await applyDeliveryReport(tx, { ...scope, cipher: mailbox.cipher, report: plan.report }) : null;
    if (applied) events.push(...reportEvents(tx, { ...scope, cipher: mailbox.cipher }, applied));
    if (mailbox.quarantine) {
      // A report still updates the message it is about; the mail itself is held, unannounced.
      const { held } = await quarantineInTx(tx, { ...scope, cipher: mailbox.cipher, content: plan.content, receivedAt: plan.receivedAt });
      if (held) outcome.quarantined += 1;
      else outcome.alreadyStored += 1;
      if (applied) outcome.reportsApplied += 1;
      continue;
    }
    const { message, duplicate } = await storeInboundMessageInTx(tx, {
      ...scope,
      content: plan.content,
      cipher: mailbox.cipher,
      threadId: applied?.threadId ?? null,
      receivedAt: plan.receivedAt,
      labels: plan.report ? [REPORT_LABELS[plan.report.kind]] : [],
      securityFlags: plan.securityFlags,
      presealed: mailbox.presealed,
    });
    if (duplicate) {
      outcome.alreadyStored += 1;
      continue;
    }
    if (applied) outcome.reportsApplied += 1;
    outcome.stored.push({ ...scope, messageId: message.id, threadId: message.threadId });
  }
  await recordIngestOutcome(tx, outcome);
  // Report events last (message.received is recorded with each stored copy): recording
  // an event holds the tenant's event counter row until commit; mailboxes come ordered
  // by tenant, so concurrent deliveries take those rows in one order.
  for (const record of events) await record();
  return outcome;
}

/** message.bounced / .complained / .delayed / .delivered for the original, and message.suppressed (SPEC §12). */
function reportEvents(tx: Tx, scope: { tenantId: string; mailboxId: string; cipher: MailboxCipher }, applied: AppliedReport): (() => Promise<unknown>)[] {
  const out: (() => Promise<unknown>)[] = [];
  const status = applied.status;
  if (status) {
    out.push(() =>
      recordEvent(tx, {
        ...scope,
        type: `message.${status}`,
        data: messageEventData({ id: applied.originalId, threadId: applied.threadId, direction: "outbound", status }),
      }),
    );
  }
  if (applied.suppressed > 0) {
    out.push(() =>
      recordEvent(tx, {
        ...scope,
        type: "message.suppressed",
        data: { messageId: applied.originalId, threadId: applied.threadId, reason: applied.suppressionReason, suppressedCount: applied.suppressed },
      }),
    );
  }
  return out;
}
