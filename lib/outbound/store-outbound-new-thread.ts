// The hot path of POST …/messages: a new send (no thread to join) is accepted in ONE
// statement inside BEGIN/COMMIT on a raw pg connection: suppression check, limit
// consumption, the new thread, the message row, the outbox job and the idempotency
// response; attachments follow in the same transaction. Measured on the 2-core box
// it is about 3× the throughput of the Prisma interactive transaction (which replies
// still use: they update an existing thread, see store-outbound-in-thread.ts).
//
// The message is sealed by sealMessage() and inserted by the INSERTs of
// lib/messages/message-insert.ts, like every other message row.
import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { ApiError } from "@/lib/errors";
import { IdempotencyRecordLost, lockIdempotencyRecord } from "@/lib/idempotency/idempotency-records";
import { uuidv7 } from "@/lib/ids";
import { assertWithinSendLimits, sendLimitCtes, sendLimitParams } from "@/lib/limits/consume-send-limit";
import { SEND_GUARD_CTES, SEND_OUTCOME_SELECT, completeIdempotencyCte, type SendOutcome } from "@/lib/outbound/send-acceptance-sql";
import type { MessageContent } from "@/lib/messages/message-content";
import type { MessageDtoRow } from "@/lib/messages/message-dto";
import {
  MESSAGE_INSERT_PARAMS,
  attachmentInsertValues,
  insertAttachmentsSql,
  insertMessageSql,
  messageInsertValues,
  type MessageInsert,
} from "@/lib/messages/message-insert";
import { sealMessage, type DecryptedMessage } from "@/lib/messages/seal-message";

export type OutboundStoreInput = {
  tenantId: string;
  mailboxId: string;
  id: string;
  content: MessageContent;
  /** Reserved for encryptionsNeeded(content), plus one for an idempotency response. */
  cipher: MailboxCipher;
  provider: string;
  jobKind: string;
  recipientHashes: Map<string, string>;
  /** Seals the response once the message is known (it is the message itself). */
  idempotency: { recordId: string; status: number; seal: (dto: unknown) => Uint8Array } | null;
  toDto: (row: MessageDtoRow, decrypted: DecryptedMessage) => unknown;
  /** "mcp" when the MCP server asked for the send; null for REST. */
  via: string | null;
};

export async function storeOutboundNewThread(input: OutboundStoreInput): Promise<unknown> {
  const { tenantId, mailboxId, id, content, cipher } = input;
  if (cipher.tenantId !== tenantId || cipher.mailboxId !== mailboxId) throw new Error("storeOutboundNewThread: the cipher belongs to another mailbox");
  const now = Date.now();
  const createdAt = new Date(now);
  const threadId = uuidv7();

  const { columns, attachments, sealed } = sealMessage(cipher, id, content);
  const message: MessageInsert = {
    id,
    tenantId,
    mailboxId,
    threadId,
    direction: "outbound",
    status: "queued",
    labels: [],
    provider: input.provider,
    via: input.via,
    createdAt,
    ...columns,
  };
  const row: MessageDtoRow = {
    id,
    mailboxId,
    threadId,
    direction: "outbound",
    status: "queued",
    statusReason: null,
    read: false,
    labels: [],
    sizeBytes: columns.sizeBytes,
    sentAt: null,
    createdAt,
  };
  const dto = input.toDto(row, sealed);
  const sealedResponse = input.idempotency ? input.idempotency.seal(dto) : null;

  // $1 mailbox, $2 tenant, $3 recipient hashes, $4 thread, $5 time, then the message row,
  // the job, the idempotency record and the limits.
  const msg = 6;
  const job = msg + MESSAGE_INSERT_PARAMS;
  const idem = job + 2;
  const limits = idem + 3;
  const client = await getPool().connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    if (input.idempotency) {
      await lockIdempotencyRecord((sql, params) => client.query(sql, params).then((r) => r.rows), { tenantId, recordId: input.idempotency.recordId });
    }
    const { rows } = await client.query<SendOutcome>(
      `WITH ${SEND_GUARD_CTES}, ${sendLimitCtes(limits)}, th AS (
         INSERT INTO "Thread" (id, "tenantId", "mailboxId", "messageCount", "lastMessageAt", "createdAt")
         SELECT $4, $2, $1, 1, $5::timestamp, $5::timestamp
         WHERE EXISTS (SELECT 1 FROM minute) AND EXISTS (SELECT 1 FROM day)
         RETURNING id
       ), msg AS (
         ${insertMessageSql(msg, { from: "th" })}
       ), job AS (
         INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
         SELECT $${job}, $2, $${job + 1}, $1, msg.id, '{}'::jsonb, 'pending', 0, 8, now(), now(), now() FROM msg
         RETURNING id
       ), ${completeIdempotencyCte(idem)}
       ${SEND_OUTCOME_SELECT}`,
      [
        mailboxId,
        tenantId,
        [...input.recipientHashes.keys()],
        threadId,
        createdAt.toISOString(),
        ...messageInsertValues(message),
        uuidv7(),
        input.jobKind,
        input.idempotency?.recordId ?? null,
        input.idempotency?.status ?? null,
        sealedResponse ? Buffer.from(sealedResponse) : null,
        ...sendLimitParams(mailboxId, now),
      ],
    );
    const outcome = rows[0];
    if (outcome.suppressed?.length) {
      const addresses = [...new Set(outcome.suppressed.map((h) => input.recipientHashes.get(h)!))];
      throw new ApiError("recipient_suppressed", `This mailbox may not send to ${addresses.join(", ")} (suppressed)`, { suppressed: addresses });
    }
    assertWithinSendLimits(outcome, now);
    if (!outcome.job) throw new Error("storeOutboundNewThread: the message was not written");
    if (input.idempotency && Number(outcome.idem) !== 1) throw new IdempotencyRecordLost();
    if (attachments.length) await client.query(insertAttachmentsSql(attachments.length), attachmentInsertValues(message, attachments));
    await client.query("COMMIT");
    return dto;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A connection that could not even roll back is discarded, not reused.
    client.release(broken);
  }
}
