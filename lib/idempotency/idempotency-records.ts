// Idempotency records for send and reply (SPEC §3): a key is unique per tenant for
// 24 hours. lib/http/idempotency.ts reads the Idempotency-Key header. The
// record is inserted in_progress before the work (INSERT … ON CONFLICT DO NOTHING)
// and completed inside the work's own transaction, so "email accepted" and "response
// remembered" commit together. The work's transaction first locks the record
// (lockIdempotencyRecord): a retry can take over the key of a first request whose
// 30 s lock expired only before that point, and then the first request rolls back.
// A failed attempt releases the key; a crashed one holds it only until its lock expires.
import "server-only";
import { createHash } from "node:crypto";
import { getPool } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a crashed first request blocks its key (409 idempotency_in_progress until then). */
export const IDEMPOTENCY_LOCK_MS = 30_000;

const RESPONSE_FIELD = "idempotency.response";

/** JSON with object keys sorted, so key order and whitespace do not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  // A value that says how it serializes (an attachment's decoded bytes: their digest).
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function idempotencyRequestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method.toUpperCase()} ${path}\n`).update(canonicalJson(body)).digest("hex");
}

export type IdempotencyBegin =
  | { kind: "started"; recordId: string }
  | { kind: "replay"; status: number; body: unknown };

type RecordRow = {
  id: string;
  requestHash: string;
  state: "in_progress" | "completed";
  mailboxId: string | null;
  responseStatus: number | null;
  responseCipher: Buffer | null;
  locked: boolean;
};

/**
 * Claims the key for this request, or answers from the first request: its response
 * (same body), 422 idempotency_conflict (different body) or 409 idempotency_in_progress.
 */
export async function beginIdempotentRequest(input: {
  tenantId: string;
  mailboxId: string;
  key: string;
  requestHash: string;
}): Promise<IdempotencyBegin> {
  const pool = getPool();
  const id = uuidv7();
  // Stored keyed by the mailbox's blind-index key, so a database dump cannot confirm a
  // guessed message by hashing it (the DEK, and so this key, survives master-key rotation).
  const requestHash = (await getMailboxCipher(input.tenantId, input.mailboxId)).blindToken(`idempotency-request:${input.requestHash}`);
  // A new key, or an expired record taken over, in one statement.
  const claimed = await pool.query<{ id: string }>(
    `INSERT INTO "IdempotencyRecord" (id, "tenantId", key, "mailboxId", "requestHash", state, "lockedUntil", "expiresAt", "createdAt")
     VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(secs => $6), now() + make_interval(secs => $7), now())
     ON CONFLICT ("tenantId", key) DO UPDATE SET
       id = EXCLUDED.id, "mailboxId" = EXCLUDED."mailboxId", "requestHash" = EXCLUDED."requestHash", state = 'in_progress',
       "responseStatus" = NULL, "responseCipher" = NULL, "lockedUntil" = EXCLUDED."lockedUntil",
       "expiresAt" = EXCLUDED."expiresAt", "createdAt" = now()
     WHERE "IdempotencyRecord"."expiresAt" <= now()
        OR ("IdempotencyRecord".state = 'in_progress' AND "IdempotencyRecord"."lockedUntil" <= now()
            AND "IdempotencyRecord"."requestHash" = EXCLUDED."requestHash")
     RETURNING id`,
    [id, input.tenantId, input.key, input.mailboxId, requestHash, IDEMPOTENCY_LOCK_MS / 1000, IDEMPOTENCY_TTL_MS / 1000],
  );
  if (claimed.rows[0]) return { kind: "started", recordId: claimed.rows[0].id };

  return answerFromRecord({ ...input, requestHash });
}

/** The answer for a key someone else holds or completed: its response, 422 or 409. */
async function answerFromRecord(input: { tenantId: string; key: string; requestHash: string }): Promise<IdempotencyBegin> {
  const { requestHash } = input;
  const { rows } = await getPool().query<RecordRow>(
    `SELECT id, "requestHash", state::text AS state, "mailboxId", "responseStatus", "responseCipher", "lockedUntil" > now() AS locked
     FROM "IdempotencyRecord" WHERE "tenantId" = $1 AND key = $2`,
    [input.tenantId, input.key],
  );
  const existing = rows[0];
  // Released between our two statements: the caller may simply try again.
  if (!existing) throw new ApiError("idempotency_in_progress", "A request with this Idempotency-Key is in progress; retry shortly");
  if (existing.requestHash !== requestHash) {
    throw new ApiError(
      "idempotency_conflict",
      "This Idempotency-Key was already used with a different request; use a new key for a new request",
    );
  }
  if (existing.state === "in_progress") {
    throw new ApiError("idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry shortly", {}, {
      "Retry-After": "1",
    });
  }
  const cipher = await getMailboxCipher(input.tenantId, existing.mailboxId!);
  const body = cipher.decryptJson<unknown>(existing.id, RESPONSE_FIELD, existing.responseCipher!);
  return { kind: "replay", status: existing.responseStatus!, body };
}

/** Thrown inside the work's transaction when its idempotency record is no longer its own (rolled back). */
export class IdempotencyRecordLost extends Error {
  constructor() {
    super("the idempotency record was taken over by a retry; nothing was stored");
  }
}

/**
 * The first statement of the work's transaction: locks the record this request
 * claimed, so no retry can take it over until the work commits (its takeover waits
 * for this lock, then finds the record completed and answers from it). When the
 * record is no longer ours (a retry took it over after our lock expired), throws
 * IdempotencyRecordLost and the caller's transaction rolls back: never two messages.
 */
export async function lockIdempotencyRecord(
  query: (sql: string, params: unknown[]) => Promise<unknown[]>,
  input: { tenantId: string; recordId: string },
): Promise<void> {
  const rows = await query(
    `SELECT id FROM "IdempotencyRecord" WHERE id = $1 AND "tenantId" = $2 AND state = 'in_progress' FOR UPDATE`,
    [input.recordId, input.tenantId],
  );
  if (rows.length === 0) throw new IdempotencyRecordLost();
}

/**
 * A request whose record was taken over answers like the retry that took it: with the
 * stored response once that one completed, or 409 idempotency_in_progress while it runs.
 */
export async function answerLostRequest(input: { tenantId: string; mailboxId: string; key: string; requestHash: string }): Promise<IdempotencyBegin> {
  const requestHash = (await getMailboxCipher(input.tenantId, input.mailboxId)).blindToken(`idempotency-request:${input.requestHash}`);
  return answerFromRecord({ tenantId: input.tenantId, key: input.key, requestHash });
}

/**
 * The first response, sealed under the mailbox key for the record. The work's own
 * transaction stores it (commitOutbound), so it commits with the work.
 */
export function sealIdempotentResponse(cipher: MailboxCipher, recordId: string, body: unknown): Uint8Array {
  return new Uint8Array(cipher.encryptJson(recordId, RESPONSE_FIELD, body));
}

/** Frees the key after a failed attempt (validation, limit, suppression, crash caught). */
export async function releaseIdempotentRequest(input: { tenantId: string; recordId: string }): Promise<void> {
  await getPool()
    .query(`DELETE FROM "IdempotencyRecord" WHERE id = $1 AND "tenantId" = $2 AND state = 'in_progress'`, [input.recordId, input.tenantId])
    .catch((err: unknown) => console.error(`[idempotency] could not release ${input.recordId}; its lock expires on its own`, err));
}
