// The common case of "a message arrives", in two statements on a raw pg connection:
// one mailbox receives it, it is not a bounce or complaint report, and the mailbox
// and its tenant have no receive list entries (block, allow or quarantine rules are the general
// path's business). The message is parsed, routed and sealed before a connection is
// taken; then
//
//   BEGIN
//   1. one statement: the webhook receipt (a retry of the same id stops here), the
//      message row (ON CONFLICT on (mailbox, Message-ID): stored once per mailbox;
//      a concurrent delivery of the same Message-ID waits for the first to commit
//      and then stores nothing) with its screening flags, the sender as a
//      correspondent of the mailbox, its thread (the newest parent by In-Reply-To, then
//      References, else a new one), its attachments, the dropped-recipient count and
//      LAST the tenant's event counter (its row lock is held until COMMIT, so one
//      tenant's events commit in id order, as lib/events/record-event.ts wants);
//   2. the message.received event (its data sealed under the event id the counter
//      gave), its webhook deliveries and their jobs, and the NOTIFY;
//   COMMIT
//
// instead of the ~13 round trips of the general path's Prisma transaction. When the
// guard finds receive list entries of the mailbox or the tenant, nothing is written, the transaction is
// rolled back and ingestFastPath() returns null: the caller takes the general path
// (lib/inbound/ingest-message.ts). Exactly once holds as there: the receipt and the
// message commit together, and a failure rolls both back.
import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { EVENTS_CHANNEL, EVENT_DATA_FIELD, WEBHOOK_JOB, eventRowId, messageEventData } from "@/lib/events/record-event";
import { uuidv7 } from "@/lib/ids";
import type { IngestOutcome } from "@/lib/inbound/inbound-outcomes";
import type { RoutedMailbox } from "@/lib/inbound/route-recipients";
import type { ReceiptSource } from "@/lib/inbound/webhook-receipts";
import { encryptionsNeeded, normalizeMessageId, type MessageContent } from "@/lib/messages/message-content";
import { MESSAGE_INSERT_PARAMS, asBuffer, insertMessageSql, messageInsertValues, messageThreadParam, type MessageInsert } from "@/lib/messages/message-insert";
import type { SecurityFlag } from "@/lib/messages/screen-message";
import { messageIdHash, sealMessage, type SealedAttachment } from "@/lib/messages/seal-message";
import { suppressionHash } from "@/lib/suppression/suppression-cipher";

export type FastDelivery = {
  receipt: { source: ReceiptSource; webhookId: string } | null;
  content: MessageContent;
  mailbox: RoutedMailbox;
  cipher: MailboxCipher;
  /** Unknown recipients of this delivery, counted with it (see ingestMessage). */
  dropped: number;
  /** Screening flags (lib/messages/screen-message.ts), computed before the connection is taken. */
  securityFlags: SecurityFlag[];
  receivedAt: Date;
};

/** How many encryptions the fast path needs: the message's, plus the event's. Reserve before calling. */
export function fastPathEncryptions(content: MessageContent): number {
  return encryptionsNeeded(content) + 1;
}

/** The parents a reply may join, best first (In-Reply-To, then References newest first), as blind hashes. */
function parentHashes(cipher: MailboxCipher, content: MessageContent): string[] {
  const ids = [content.inReplyTo, ...[...content.references].reverse()].filter((v): v is string => !!v && !!normalizeMessageId(v));
  return [...new Set(ids.slice(0, 100).map((id) => messageIdHash(cipher, id)))];
}

type FirstRow = { fresh: boolean; listed: boolean; messageId: string | null; threadId: string | null; eventId: string | null; endpoints: string[] | null };

/**
 * Stores the delivery for its one mailbox, or returns null (nothing written) when the
 * mailbox has receive list entries and the general path must decide.
 */
export async function ingestFastPath(delivery: FastDelivery): Promise<IngestOutcome | null> {
  const { content, mailbox, cipher, receipt } = delivery;
  if (cipher.tenantId !== mailbox.tenantId || cipher.mailboxId !== mailbox.id) throw new Error("ingestFastPath: the cipher belongs to another mailbox");
  const at = delivery.receivedAt;
  const id = uuidv7();
  const newThreadId = uuidv7();
  const { columns, attachments } = await sealMessage(cipher, id, content);
  const message: MessageInsert = {
    id,
    tenantId: mailbox.tenantId,
    mailboxId: mailbox.id,
    threadId: newThreadId,
    direction: "inbound",
    status: "received",
    labels: [],
    provider: null,
    via: null,
    securityFlags: delivery.securityFlags,
    createdAt: at,
    ...columns,
  };
  const { sql, params } = firstStatement(message, attachments, {
    receipt,
    parents: parentHashes(cipher, content),
    dropped: delivery.dropped,
    // Whoever wrote first is someone this mailbox exchanged mail with (send policy approval_new_recipients).
    correspondents: content.from.address.includes("@") ? [suppressionHash(cipher, content.from.address)] : [],
  });

  const client = await getPool().connect();
  let broken = false;
  let committed = false;
  try {
    await client.query("BEGIN");
    const [first] = (await client.query<FirstRow>(sql, params)).rows;
    if (first.listed) {
      await client.query("ROLLBACK");
      committed = true;
      return null;
    }
    const outcome: IngestOutcome = { duplicate: false, stored: [], alreadyStored: 0, dropped: delivery.dropped, reportsApplied: 0, quarantined: 0 };
    if (!first.fresh) {
      await client.query("ROLLBACK");
      committed = true;
      return { ...outcome, duplicate: true, dropped: 0 };
    }
    if (first.messageId && first.threadId && first.eventId) {
      await recordReceivedEvent(client, {
        tenantId: mailbox.tenantId,
        mailboxId: mailbox.id,
        cipher,
        eventId: first.eventId,
        data: messageEventData({ ...message, threadId: first.threadId }),
        endpoints: first.endpoints ?? [],
      });
      outcome.stored.push({ tenantId: mailbox.tenantId, mailboxId: mailbox.id, messageId: first.messageId, threadId: first.threadId });
    } else {
      outcome.alreadyStored = 1;
    }
    await client.query("COMMIT");
    committed = true;
    return outcome;
  } catch (err) {
    if (!committed) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

const ATTACHMENT_PARAMS = 5;

/** Statement 1 (see the top of this file); its one row says what happened. */
function firstStatement(
  message: MessageInsert,
  attachments: SealedAttachment[],
  options: { receipt: FastDelivery["receipt"]; parents: string[]; dropped: number; correspondents: string[] },
): { sql: string; params: unknown[] } {
  // $1 tenant, $2 mailbox, $3 time, $4 new thread id, $5 parent hashes, $6 receipt source,
  // $7 receipt id, $8 dropped count, $9 receipt row id, $10 correspondent hashes, then the
  // message row, then attachments.
  const params: unknown[] = [
    message.tenantId,
    message.mailboxId,
    message.createdAt.toISOString(),
    message.threadId,
    options.parents,
    options.receipt?.source ?? null,
    options.receipt?.webhookId ?? null,
    options.dropped,
    uuidv7(),
    options.correspondents,
  ];
  const messageFirst = params.length + 1;
  params.push(...messageInsertValues(message));
  const attachmentFirst = messageFirst + MESSAGE_INSERT_PARAMS;
  const attachmentRows = attachments.map((a, r) => {
    params.push(a.id, asBuffer(a.metaCipher), asBuffer(a.dataCipher), a.size, a.inline);
    const p = (i: number) => `$${attachmentFirst + r * ATTACHMENT_PARAMS + i}`;
    return `(${p(0)}, ${p(1)}::bytea, ${p(2)}::bytea, ${p(3)}::int, ${p(4)}::boolean)`;
  });
  const threadParam = `$${messageThreadParam(messageFirst)}`;

  const receiptCte = options.receipt
    ? `r AS (
         INSERT INTO "WebhookReceipt" (id, source, "webhookId", "tenantId", "receivedAt")
         SELECT $9, $6, $7, $1, now() FROM guard WHERE NOT guard.listed
         ON CONFLICT (source, "webhookId") DO NOTHING RETURNING id
       )`
    : `r AS (SELECT $9::text AS id FROM guard WHERE NOT guard.listed AND $6::text IS NULL AND $7::text IS NULL)`;
  const sql = `
    WITH guard AS (
      SELECT (EXISTS (SELECT 1 FROM "ListEntry" WHERE "tenantId" = $1 AND "mailboxId" = $2 AND direction = 'receive')
          OR EXISTS (SELECT 1 FROM "TenantListEntry" WHERE "tenantId" = $1 AND direction = 'receive')) AS listed
    ),
    ${receiptCte},
    parent AS (
      SELECT m."threadId" FROM unnest($5::text[]) WITH ORDINALITY AS h(hash, ord)
      JOIN "Message" m ON m."mailboxId" = $2 AND m."tenantId" = $1 AND m."rfcMessageIdHash" = h.hash
      ORDER BY h.ord LIMIT 1
    ),
    src AS (
      SELECT COALESCE((SELECT "threadId" FROM parent), ${threadParam}) AS "threadId" FROM r
    ),
    m AS (
      ${insertMessageSql(messageFirst, { from: "src", threadId: `src."threadId"`, tail: `ON CONFLICT ("mailboxId", "rfcMessageIdHash") DO NOTHING RETURNING id, "threadId"` })}
    ),
    th_new AS (
      INSERT INTO "Thread" (id, "tenantId", "mailboxId", "messageCount", "lastMessageAt", "createdAt")
      SELECT m."threadId", $1, $2, 1, $3::timestamp, $3::timestamp FROM m WHERE m."threadId" = $4
    ),
    th_old AS (
      UPDATE "Thread" t SET "messageCount" = t."messageCount" + 1, "lastMessageAt" = GREATEST(t."lastMessageAt", $3::timestamp)
      FROM m WHERE t.id = m."threadId" AND m."threadId" <> $4 AND t."tenantId" = $1 AND t."mailboxId" = $2
    ),
    ${
      attachmentRows.length
        ? `att AS (
      INSERT INTO "Attachment" (id, "tenantId", "mailboxId", "messageId", "metaCipher", "dataCipher", size, inline, "createdAt")
      SELECT v.id, $1, $2, m.id, v.meta, v.data, v.size, v.inline, $3::timestamp
      FROM m, (VALUES ${attachmentRows.join(", ")}) AS v(id, meta, data, size, inline)
    ),`
        : ""
    }
    corr AS (
      INSERT INTO "MailboxCorrespondent" ("tenantId", "mailboxId", "addressHash")
      SELECT $1, $2, h FROM m, unnest($10::text[]) AS h ORDER BY h
      ON CONFLICT DO NOTHING
    ),
    dropped AS (
      INSERT INTO "DroppedInboundCount" (day, count) SELECT current_date, $8::int FROM r WHERE $8::int > 0
      ON CONFLICT (day) DO UPDATE SET count = "DroppedInboundCount".count + excluded.count
    ),
    ctr AS (
      INSERT INTO "TenantEventCounter" ("tenantId", "lastId") SELECT $1, 1 FROM m
      ON CONFLICT ("tenantId") DO UPDATE SET "lastId" = "TenantEventCounter"."lastId" + 1
      RETURNING "lastId"
    )
    SELECT
      EXISTS (SELECT 1 FROM r) AS fresh,
      (SELECT listed FROM guard) AS listed,
      (SELECT id FROM m) AS "messageId",
      (SELECT "threadId" FROM m) AS "threadId",
      (SELECT "lastId"::text FROM ctr) AS "eventId",
      (SELECT array_agg(id ORDER BY id) FROM "WebhookEndpoint"
        WHERE EXISTS (SELECT 1 FROM m) AND "tenantId" = $1 AND enabled
          AND (cardinality("eventTypes") = 0 OR 'message.received' = ANY("eventTypes"))
          AND (cardinality("mailboxIds") = 0 OR $2 = ANY("mailboxIds"))) AS endpoints`;
  return { sql, params };
}

/** Statement 2: the event of the stored message, its webhook deliveries and jobs, and the NOTIFY (sent on COMMIT). */
async function recordReceivedEvent(
  client: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  input: { tenantId: string; mailboxId: string; cipher: MailboxCipher; eventId: string; data: ReturnType<typeof messageEventData>; endpoints: string[] },
): Promise<void> {
  const dataCipher = input.cipher.encryptJson(eventRowId(BigInt(input.eventId)), EVENT_DATA_FIELD, input.data);
  const deliveryIds = input.endpoints.map(() => uuidv7());
  const now = new Date().toISOString();
  await client.query(
    `WITH ev AS (
       INSERT INTO "Event" ("tenantId", id, type, "mailboxId", "dataCipher", "createdAt")
       VALUES ($1, $2::bigint, 'message.received', $3, $4::bytea, $5::timestamp)
     ),
     d AS (
       INSERT INTO "WebhookDelivery" (id, "tenantId", "endpointId", "eventId", "eventType", status, attempts, "nextAttemptAt", "createdAt", "updatedAt")
       SELECT d.id, $1, d.endpoint, $2::bigint, 'message.received', 'pending', 0, $5::timestamp, $5::timestamp, $5::timestamp
       FROM unnest($6::text[], $7::text[]) AS d(id, endpoint)
     ),
     j AS (
       INSERT INTO "Job" (id, "tenantId", kind, payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT d.id, $1, $8, jsonb_build_object('deliveryId', d.id), 'pending', 0, 8, now(), now(), now()
       FROM unnest($6::text[]) AS d(id)
     )
     SELECT pg_notify($9, $10)`,
    [
      input.tenantId,
      input.eventId,
      input.mailboxId,
      dataCipher,
      now,
      deliveryIds,
      input.endpoints,
      WEBHOOK_JOB,
      EVENTS_CHANNEL,
      `${input.tenantId}:${input.eventId}`,
    ],
  );
}
