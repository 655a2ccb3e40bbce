// Delivery events from Resend update the outbound message they are about (found by
// provider id, or by the sairaph_message_id tag when the provider id was not saved
// yet) and feed suppression: a permanent bounce or a complaint suppresses the
// recipients for the SENDING mailbox only. A webhook id is applied once
// (WebhookReceipt); statuses never move backwards, except that the provider's word
// beats our own guess: a message we marked failed without ever hearing from the
// provider (every call timed out) moves to what the provider reports. A success
// (sent, delivered) clears an earlier reason such as "Delivery delayed".
import "server-only";
import { recordDeliveryOutcome } from "@/lib/events/delivery-outcome-events";
import { redactAddresses } from "@/lib/privacy/redact-addresses";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { isUuid } from "@/lib/ids";
import { parseAddress } from "@/lib/outbound/addresses";
import type { ResendEvent } from "@/lib/outbound/resend-webhook";
import { addSuppressionInTx } from "@/lib/suppression/add-suppression";
import { recordWebhookReceipt } from "@/lib/inbound/webhook-receipts";

type Status = "queued" | "sent" | "delayed" | "delivered" | "bounced" | "complained" | "failed";

export const DELIVERY_EVENTS: Record<string, Status> = {
  "email.sent": "sent",
  "email.delivery_delayed": "delayed",
  "email.delivered": "delivered",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.failed": "failed",
};

// How far along a message is; an event only ever moves it forward.
const RANK: Record<Status, number> = { queued: 0, sent: 1, delayed: 2, delivered: 3, bounced: 4, failed: 4, complained: 5 };

export function statusesBefore(status: Status): Status[] {
  return (Object.keys(RANK) as Status[]).filter((s) => RANK[s] < RANK[status]);
}

/** Resend marks hard bounces "Permanent"; "Transient" and "Undetermined" are soft and never suppress. */
export function isPermanentBounce(bounce: unknown): boolean {
  const type = typeof bounce === "object" && bounce !== null ? (bounce as { type?: unknown }).type : undefined;
  return typeof type === "string" && /^(permanent|hard|hardbounce)$/i.test(type);
}

function tagValue(tags: unknown, name: string): string | null {
  if (Array.isArray(tags)) {
    const tag = tags.find((t) => (t as { name?: unknown })?.name === name) as { value?: unknown } | undefined;
    return typeof tag?.value === "string" ? tag.value : null;
  }
  if (tags && typeof tags === "object") {
    const value = (tags as Record<string, unknown>)[name];
    return typeof value === "string" ? value : null;
  }
  return null;
}

function recipientsOf(data: Record<string, unknown>): string[] {
  const to = Array.isArray(data.to) ? data.to : typeof data.to === "string" ? [data.to] : [];
  return to.flatMap((v) => (typeof v === "string" && parseAddress(v) ? [parseAddress(v)!.address] : []));
}

function reasonOf(type: string, data: Record<string, unknown>): string | null {
  const pick = (o: unknown, key: string) => (o && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined);
  const text =
    type === "email.bounced"
      ? [pick(data.bounce, "type"), pick(data.bounce, "subType"), pick(data.bounce, "message")].filter(Boolean).join(" / ")
      : type === "email.failed"
        ? pick(data.failed, "reason")
        : type === "email.delivery_delayed"
          ? "Delivery delayed"
          : null;
  return typeof text === "string" && text ? redactAddresses(text).slice(0, 1000) : null;
}

async function findMessage(data: Record<string, unknown>) {
  const select = { id: true, tenantId: true, mailboxId: true, threadId: true, status: true, providerMessageId: true } as const;
  const db = getDb();
  const providerId = typeof data.email_id === "string" ? data.email_id : null;
  if (providerId) {
    const byProvider = await db.message.findFirst({ where: { providerMessageId: providerId, direction: "outbound" }, select });
    if (byProvider) return byProvider;
  }
  const ours = tagValue(data.tags, "sairaph_message_id");
  if (ours && isUuid(ours)) {
    const byTag = await db.message.findFirst({ where: { id: ours, direction: "outbound", provider: "resend" }, select });
    // The tag is ours only if the provider id agrees (or is not known yet).
    if (byTag && (!byTag.providerMessageId || byTag.providerMessageId === providerId)) return byTag;
  }
  return null;
}

export type EventOutcome = { duplicate: boolean; applied: boolean; suppressed: number; ignored?: string };

export async function applyResendEvent(input: { webhookId: string; event: ResendEvent }): Promise<EventOutcome> {
  const { webhookId, event } = input;
  const status = DELIVERY_EVENTS[event.type];
  // email.received (inbound) and anything else is not handled here.
  if (!status) return { duplicate: false, applied: false, suppressed: 0, ignored: event.type };
  const data = event.data ?? {};
  const db = getDb();
  const message = await findMessage(data);
  if (!message) {
    const first = await db.$transaction((tx) => recordWebhookReceipt(tx, { source: "resend", webhookId }, null));
    return { duplicate: !first, applied: false, suppressed: 0, ignored: "unknown message" };
  }

  const permanent = status === "complained" || (status === "bounced" && isPermanentBounce(data.bounce));
  const toSuppress = permanent ? [...new Set(recipientsOf(data).map((a) => a.toLowerCase()))] : [];
  let cipher: MailboxCipher | null = null;
  if (toSuppress.length) {
    cipher = await getMailboxCipher(message.tenantId, message.mailboxId);
    await cipher.reserve(toSuppress.length);
  }
  const providerId = typeof data.email_id === "string" ? data.email_id : null;

  return db.$transaction(async (tx) => {
    if (!(await recordWebhookReceipt(tx, { source: "resend", webhookId }, message.tenantId))) return { duplicate: true, applied: false, suppressed: 0 };
    const updated = await tx.$executeRawUnsafe(
      `UPDATE "Message" SET status = $1::"MessageStatus",
         "statusReason" = CASE WHEN $1::text IN ('sent', 'delivered') THEN NULL ELSE coalesce($2, "statusReason") END,
         "providerMessageId" = coalesce("providerMessageId", $3), "updatedAt" = now()
       WHERE id = $4 AND "tenantId" = $5
         AND (status = ANY($6::"MessageStatus"[]) OR (status = 'failed' AND "providerMessageId" IS NULL AND $1::text <> 'failed'))`,
      status,
      reasonOf(event.type, data),
      providerId,
      message.id,
      message.tenantId,
      statusesBefore(status),
    );
    let suppressed = 0;
    for (const address of toSuppress) {
      const { created } = await addSuppressionInTx(tx, {
        tenantId: message.tenantId,
        mailboxId: message.mailboxId,
        cipher: cipher!,
        address,
        reason: status === "complained" ? "complaint" : "bounce",
        messageId: message.id,
      });
      if (created) suppressed += 1;
    }
    await recordDeliveryOutcome(tx, {
      tenantId: message.tenantId,
      mailboxId: message.mailboxId,
      messageId: message.id,
      threadId: message.threadId,
      status,
      statusMoved: updated > 0,
      suppressed,
    });
    return { duplicate: false, applied: updated > 0, suppressed };
  });
}
