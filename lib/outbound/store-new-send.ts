// The hot path of POST …/messages: a new send (no thread to join) is accepted in ONE
// statement inside BEGIN/COMMIT on a raw pg connection: suppression check, limit
// consumption, the new thread, the message row, the outbox job and the idempotency
// response; attachments follow in the same transaction. Measured on the 2-core box
// it is about 3× the throughput of the Prisma interactive transaction (which replies
// still use: they update an existing thread).
//
// The rows are sealed exactly as lib/messages' writeMessage seals them, with its own
// types and helpers (SealedMeta, FIELD, makeSnippet, messageSearchTokens, …);
// test/integration/store-new-send.test.ts reads a fast-path message back through the
// read API and compares it with one stored by storeOutboundMessage, so the two
// writers cannot drift apart unnoticed.
import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { assertWithinSendLimits, sendLimitCtes, sendLimitParams } from "@/lib/limits/consume-send-limit";
import { SEND_GUARD_CTES, SEND_OUTCOME_SELECT, completeIdempotencyCte } from "@/lib/outbound/send-acceptance-sql";
import {
  contentSizeBytes,
  describeContent,
  type MessageContent,
  type SealedAttachmentMeta,
} from "@/lib/messages/message-content";
import type { MessageDtoRow } from "@/lib/messages/message-dto";
import type { DecryptedMessage } from "@/lib/messages/seal-message";
import { FIELD } from "@/lib/messages/seal-message";
import { messageSearchTokens } from "@/lib/messages/search-tokens";
import { messageIdHash } from "@/lib/messages/store-message";

type Outcome = { suppressed: string[] | null; pm: number | null; pd: number | null; minute: number | null; day: number | null; job: string | null };

export type NewSendInput = {
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
};

export async function storeNewSend(input: NewSendInput): Promise<unknown> {
  const { tenantId, mailboxId, id, content, cipher } = input;
  if (cipher.tenantId !== tenantId || cipher.mailboxId !== mailboxId) throw new Error("storeNewSend: the cipher belongs to another mailbox");
  const now = Date.now();
  const createdAt = new Date(now);
  const threadId = uuidv7();

  const { attachments, meta, body } = describeContent(content);
  const row: MessageDtoRow = {
    id,
    mailboxId,
    threadId,
    direction: "outbound",
    status: "queued",
    statusReason: null,
    read: false,
    labels: [],
    sizeBytes: contentSizeBytes(content),
    sentAt: null,
    createdAt,
  };
  const dto = input.toDto(row, { meta, body });
  const sealedResponse = input.idempotency ? input.idempotency.seal(dto) : null;

  const client = await getPool().connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const at = createdAt.toISOString();
    const { rows } = await client.query<Outcome>(
      `WITH ${SEND_GUARD_CTES}, ${sendLimitCtes(19)}, th AS (
         INSERT INTO "Thread" (id, "tenantId", "mailboxId", "messageCount", "lastMessageAt", "createdAt")
         SELECT $4, $2, $1, 1, $5::timestamp, $5::timestamp
         WHERE EXISTS (SELECT 1 FROM minute) AND EXISTS (SELECT 1 FROM day)
         RETURNING id
       ), msg AS (
         INSERT INTO "Message" (id, "tenantId", "mailboxId", "threadId", direction, status, labels, "metaCipher", "bodyCipher",
                                "rfcMessageIdHash", "searchTokens", "sizeBytes", "attachmentCount", provider, "createdAt", "updatedAt")
         SELECT $6, $2, $1, th.id, 'outbound', 'queued', '{}', $7, $8, $9, $10::text[], $11::int, $12::int, $13, $5::timestamp, $5::timestamp
         FROM th RETURNING id
       ), job AS (
         INSERT INTO "Job" (id, "tenantId", kind, "mailboxId", "messageId", payload, status, attempts, "maxAttempts", "runAt", "createdAt", "updatedAt")
         SELECT $14, $2, $15, $1, msg.id, '{}'::jsonb, 'pending', 0, 8, now(), now(), now() FROM msg
         RETURNING id
       ), ${completeIdempotencyCte(16)}
       ${SEND_OUTCOME_SELECT}`,
      [
        mailboxId,
        tenantId,
        [...input.recipientHashes.keys()],
        threadId,
        at,
        id,
        cipher.encryptJson(id, FIELD.meta, meta),
        cipher.encryptJson(id, FIELD.body, body),
        messageIdHash(cipher, content.messageId),
        messageSearchTokens(cipher, content),
        row.sizeBytes,
        attachments.length,
        input.provider,
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
    if (!outcome.job) throw new Error("storeNewSend: the message was not written");
    for (const a of attachments) {
      const attMeta: SealedAttachmentMeta = { filename: a.filename, contentType: a.contentType, contentId: a.contentId ?? null };
      await client.query(
        `INSERT INTO "Attachment" (id, "tenantId", "mailboxId", "messageId", "metaCipher", "dataCipher", size, inline, "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamp)`,
        [a.id, tenantId, mailboxId, id, cipher.encryptJson(a.id, FIELD.attachmentMeta, attMeta), cipher.encrypt(a.id, FIELD.attachmentData, a.content), a.content.length, a.inline ?? false, at],
      );
    }
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
