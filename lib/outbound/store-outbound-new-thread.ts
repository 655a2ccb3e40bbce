// The hot path of POST …/messages: a new send (no thread to join) on a raw pg
// connection, BEGIN … COMMIT: the idempotency record is locked first, then the new
// thread and the message row (one statement) and its attachments, and LAST the one
// statement every send of the mailbox shares (commitOutbound: suppression check,
// limit counters, outbox job, idempotency response). The mailbox's counter rows are
// locked only from that statement to COMMIT, never while 25 MB of attachments are
// written, so one mailbox's large sends never make another's wait. A refusal there
// (suppressed, over the limit) rolls everything back.
//
// The message is sealed by sealMessage() (before a connection is taken) and inserted
// by the INSERTs of lib/messages/message-insert.ts, like every other message row.
import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { lockIdempotencyRecord } from "@/lib/idempotency/idempotency-records";
import { uuidv7 } from "@/lib/ids";
import type { ListCheck } from "@/lib/guardrails/lists";
import { commitOutbound, type TxQuery } from "@/lib/outbound/commit-outbound";
import { sendTestHooks } from "@/lib/outbound/send-test-hooks";
import type { MessageContent } from "@/lib/messages/message-content";
import type { MessageDtoRow } from "@/lib/messages/message-dto";
import {
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
  /** The send allow/block lists, checked in the transaction (commitOutbound). */
  listCheck?: ListCheck;
  /** Seals the response once the message is known (it is the message itself). */
  idempotency: { recordId: string; status: number; seal: (dto: unknown) => Uint8Array } | null;
  toDto: (row: MessageDtoRow, decrypted: DecryptedMessage) => unknown;
  /** "mcp" when the MCP server asked for the send; null for REST. */
  via: string | null;
  /** The caller's extra statement in this transaction (a sent draft's delete); runs before commitOutbound. */
  inTransaction?: (query: TxQuery) => Promise<void>;
  /** pending_approval: held by the mailbox's send policy (only storeOutboundInThread writes those). */
  status: "queued" | "pending_approval";
};

export async function storeOutboundNewThread(input: OutboundStoreInput): Promise<unknown> {
  const { tenantId, mailboxId, id, content, cipher } = input;
  if (cipher.tenantId !== tenantId || cipher.mailboxId !== mailboxId) throw new Error("storeOutboundNewThread: the cipher belongs to another mailbox");
  if (input.status !== "queued") throw new Error("storeOutboundNewThread: a held send is stored by storeOutboundInThread");
  const now = Date.now();
  const createdAt = new Date(now);
  const threadId = uuidv7();

  const { columns, attachments, sealed } = await sealMessage(cipher, id, content);
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

  const client = await getPool().connect();
  const query: TxQuery = (sql, params) => client.query(sql, params).then((r) => r.rows);
  let broken = false;
  try {
    await client.query("BEGIN");
    if (input.idempotency) await lockIdempotencyRecord(query, { tenantId, recordId: input.idempotency.recordId });
    await sendTestHooks.inTransaction?.(mailboxId);
    // The rows of this message first, attachments (up to 25 MB) included: nothing here
    // is shared with another request, so a large send holds no lock anyone waits for.
    await client.query(
      `WITH th AS (
         INSERT INTO "Thread" (id, "tenantId", "mailboxId", "messageCount", "lastMessageAt", "createdAt")
         VALUES ($3, $2, $1, 1, $4::timestamp, $4::timestamp) RETURNING id
       ) ${insertMessageSql(5, { from: "th" })}`,
      [mailboxId, tenantId, threadId, createdAt.toISOString(), ...messageInsertValues(message)],
    );
    if (attachments.length) await client.query(insertAttachmentsSql(attachments.length), attachmentInsertValues(message, attachments));
    await input.inTransaction?.(query);
    // Last, the rows every send of the mailbox shares: suppression, the limit counters
    // (locked until COMMIT, a moment later), the outbox job and the idempotency response.
    await commitOutbound(query, input, dto, now);
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
