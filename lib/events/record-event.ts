// The event log's one writer (SPEC §12). recordEvent runs inside the transaction of
// the change it reports, so an event exists exactly when its change committed:
//
//   await db.$transaction(async (tx) => {
//     … the change …
//     await recordEvent(tx, { tenantId, mailboxId, type: "message.received", data: { messageId, threadId } });
//   });
//
// Ids come from the tenant's TenantEventCounter row, taken last in the transaction:
// its row lock is held until commit, so one tenant's events commit in id order (a
// reader resuming after id N never misses a lower id committed later), and a rolled
// back transaction gives its id back (no gaps). The same transaction queues one
// webhook delivery per matching endpoint and a NOTIFY, which Postgres sends only
// on commit.
import "server-only";
import type { Tx } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { uuidv7 } from "@/lib/ids";
import { enqueueJob } from "@/lib/jobs/claim-jobs";
import { namesMail, type EventData, type EventType } from "@/lib/events/types";

export const EVENTS_CHANNEL = "sairaph_events";
export const WEBHOOK_JOB = "webhook.deliver";
export const EVENT_DATA_FIELD = "event.data";

/** What a message event says about its message: ids and metadata, never content or addresses. */
export function messageEventData(message: {
  id: string;
  threadId: string;
  direction: string;
  status: string;
  attachmentCount?: number;
}): EventData {
  return {
    messageId: message.id,
    threadId: message.threadId,
    direction: message.direction,
    status: message.status,
    ...(message.attachmentCount !== undefined ? { attachmentCount: message.attachmentCount } : {}),
  };
}

/** The row id an event's ciphertext is bound to (tenant and mailbox are in the associated data too). */
export function eventRowId(id: bigint): string {
  return `event:${id}`;
}

export type EventInput = {
  tenantId: string;
  type: EventType;
  /** The mailbox the event is about; required for message events. */
  mailboxId?: string | null;
  data: EventData;
  /** The mailbox's cipher when the caller already holds it (message events). */
  cipher?: MailboxCipher;
};

export async function recordEvent(tx: Tx, input: EventInput): Promise<{ id: bigint }> {
  const { tenantId, type } = input;
  const mailboxId = input.mailboxId ?? null;
  let cipher: MailboxCipher | null = null;
  if (namesMail(type)) {
    if (!mailboxId) throw new Error(`recordEvent: ${type} needs a mailboxId`);
    cipher = input.cipher ?? (await getMailboxCipher(tenantId, mailboxId));
    // Usually served from the reservation block the cipher already holds (no query).
    await cipher.reserve(1);
  }
  const endpoints = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WebhookEndpoint"
    WHERE "tenantId" = ${tenantId} AND enabled
      AND (cardinality("eventTypes") = 0 OR ${type} = ANY("eventTypes"))
      AND (cardinality("mailboxIds") = 0 OR ${mailboxId}::text = ANY("mailboxIds"))`;

  // Last: from here to commit this transaction holds the tenant's counter row.
  const [{ lastId: id }] = await tx.$queryRaw<{ lastId: bigint }[]>`
    INSERT INTO "TenantEventCounter" ("tenantId", "lastId") VALUES (${tenantId}, 1)
    ON CONFLICT ("tenantId") DO UPDATE SET "lastId" = "TenantEventCounter"."lastId" + 1
    RETURNING "lastId"`;
  const dataCipher = cipher ? new Uint8Array(cipher.encryptJson(eventRowId(id), EVENT_DATA_FIELD, input.data)) : null;
  await tx.event.create({
    data: {
      tenantId,
      id,
      type,
      mailboxId,
      data: cipher ? undefined : input.data,
      dataCipher,
    },
  });
  for (const endpoint of endpoints) {
    const deliveryId = uuidv7();
    await tx.webhookDelivery.create({
      data: { id: deliveryId, tenantId, endpointId: endpoint.id, eventId: id, eventType: type, nextAttemptAt: new Date() },
    });
    // The job shares the delivery's id, so "resend now" can find it.
    // No mailboxId on the job: purging a deleted mailbox must not drop its mailbox.deleted delivery.
    await enqueueJob(tx, { id: deliveryId, tenantId, kind: WEBHOOK_JOB, payload: { deliveryId } });
  }
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${`${tenantId}:${id}`})`;
  return { id };
}
