// The steps of API-key authentication, each small and testable alone (STYLE.md):
// parse → checksum → look up by hash (with the rate-limit count, one round trip)
// → revoked / expired → mailbox scope → role → rate limit, and authenticateKey(),
// which runs them in that order. Transports (REST's withApiKey, MCP) call authenticateKey.
import "server-only";
import { getCounterPool, getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { exceededHeaders, rateLimitHeaders, utcTimestamp, windowStart, type WindowState } from "@/lib/limits/fixed-window";
import { hashKeySecret, parseKeySecret } from "@/lib/keys/key-format";
import type { SendPolicy } from "@/lib/guardrails/send-policy";

export type KeyRecord = {
  id: string;
  tenantId: string;
  mailboxId: string | null;
  kind: "mailbox" | "tenant";
  role: "read" | "read_write" | "management";
  prefix: string;
  last4: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  requestsPerMinute: number;
  tenantName: string;
  tenantRegion: string;
  mailboxAddress: string | null;
  mailboxDisplayName: string | null;
  mailboxStatus: "active" | "suspended" | "deleted" | null;
  mailboxSendPolicy: SendPolicy | null;
  used: number | null;
};

/** The role a route or tool needs: a key role, "tenant" (sm_mgmt_ only), "any" key, or "none" (no key). */
export type RequiredRole = "any" | "read" | "read_write" | "management" | "tenant" | "none";

export type TenantRef = { id: string; name: string; region: string };
/** sendPolicy rides along so a send needs no query of its own to learn it (SPEC §13). */
export type MailboxRef = { id: string; tenantId: string; address: string; displayName: string | null; status: "active" | "suspended" | "deleted"; sendPolicy: SendPolicy };

export type Principal = {
  keyId: string;
  kind: "mailbox" | "tenant";
  role: "read" | "read_write" | "management";
  prefix: string;
  last4: string;
  expiresAt: Date | null;
};

const RATE_WINDOW_MS = 60_000;

/** Step 1: the bearer token, or 401. */
export function readBearer(authorization: string | null): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw new ApiError("unauthorized", "Missing API key: send Authorization: Bearer <key>");
  return match[1];
}

/** Step 2: shape and checksum, with no database read. */
export function checkKeyFormat(secret: string): void {
  if (!parseKeySecret(secret)) throw new ApiError("unauthorized", "Invalid API key");
}

/**
 * Step 3: one indexed query finds the key, its tenant and mailbox, and counts this request.
 * Timestamps are stored without a time zone, in UTC; `AT TIME ZONE 'UTC'` keeps node-postgres
 * from reading them as the server's local time.
 */
export async function lookupKey(secret: string, now = Date.now()): Promise<KeyRecord> {
  const hash = hashKeySecret(secret);
  const start = windowStart(now, RATE_WINDOW_MS);
  const { rows } = await getCounterPool().query<KeyRecord>(
    `WITH k AS (
       SELECT k.id, k."tenantId", k."mailboxId", k.kind::text AS kind, k.role::text AS role, k.prefix, k.last4,
              k."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", k."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt",
              k."lastUsedAt" AT TIME ZONE 'UTC' AS "lastUsedAt", k."requestsPerMinute",
              t.name AS "tenantName", t.region AS "tenantRegion",
              m.address AS "mailboxAddress", m."displayName" AS "mailboxDisplayName", m.status::text AS "mailboxStatus",
              m."sendPolicy"::text AS "mailboxSendPolicy"
       FROM "ApiKey" k
       JOIN "Tenant" t ON t.id = k."tenantId"
       LEFT JOIN "Mailbox" m ON m.id = k."mailboxId" AND m."tenantId" = k."tenantId"
       WHERE k.hash = $1
     ), counted AS (
       INSERT INTO "RateLimitCounter" (scope, "windowStart", "tenantId", count, "expiresAt")
       SELECT 'key:' || k.id, $2::timestamp, k."tenantId", 1, $3::timestamp FROM k
       WHERE k."revokedAt" IS NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > now()) AND k."tenantRegion" = $4
       ON CONFLICT (scope, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + 1
       RETURNING count
     )
     SELECT k.*, (SELECT count FROM counted) AS used FROM k`,
    [hash, utcTimestamp(start), utcTimestamp(start + 2 * RATE_WINDOW_MS), getEnv().SAIRAPH_REGION],
  );
  const record = rows[0];
  if (!record) throw new ApiError("unauthorized", "Invalid API key");
  return record;
}

/** Step 4: revocation and expiry are read from the row on every request; nothing caches them. */
export function checkKeyState(key: KeyRecord, now = Date.now()): void {
  if (key.revokedAt) throw new ApiError("key_revoked", "This API key has been revoked");
  if (key.expiresAt && key.expiresAt.getTime() <= now) throw new ApiError("key_expired", "This API key has expired");
  if (key.kind === "mailbox" && (key.mailboxStatus === null || key.mailboxStatus === "deleted")) {
    throw new ApiError("key_revoked", "This API key's mailbox has been deleted");
  }
  if (key.tenantRegion !== getEnv().SAIRAPH_REGION) {
    throw new ApiError("forbidden", `This deployment does not serve region "${key.tenantRegion}"`);
  }
}

const ROLE_RANK = { read: 1, read_write: 2, management: 3 } as const;

/** Step 6: the role table of SPEC §2; a sm_mgmt_ key holds every role for every mailbox of its tenant. */
export function checkRole(key: Pick<KeyRecord, "kind" | "role">, required: RequiredRole): void {
  if (required === "any" || required === "none") return;
  if (key.kind === "tenant") return;
  if (required === "tenant") throw new ApiError("forbidden", "This action needs a management key (sm_mgmt_)");
  if (ROLE_RANK[key.role] < ROLE_RANK[required]) {
    throw new ApiError("forbidden", `This action needs a key with the ${required} role`);
  }
}

/** Step 7: per-key requests per minute, counted in the database so it holds across instances. */
export function checkKeyRateLimit(key: KeyRecord, now = Date.now()): Record<string, string> {
  const state: WindowState = {
    limit: key.requestsPerMinute,
    used: key.used ?? 0,
    windowMs: RATE_WINDOW_MS,
    windowStart: windowStart(now, RATE_WINDOW_MS),
    now,
  };
  if (state.used > state.limit) {
    throw new ApiError("rate_limited", "Too many requests for this API key", {}, exceededHeaders("key", state));
  }
  return rateLimitHeaders("key", state);
}

/** lastUsedAt is written at most once a minute per key, without delaying the response. */
export function touchLastUsed(key: KeyRecord, now = Date.now()): Promise<void> {
  if (key.lastUsedAt && now - key.lastUsedAt.getTime() < 60_000) return Promise.resolve();
  return getCounterPool()
    .query(
      `UPDATE "ApiKey" SET "lastUsedAt" = now() WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`,
      [key.id],
    )
    .then(
      () => undefined,
      (err: unknown) => console.error(`[auth] could not record lastUsedAt for key ${key.id}`, err),
    );
}

export function toPrincipal(key: KeyRecord): Principal {
  return { keyId: key.id, kind: key.kind, role: key.role, prefix: key.prefix, last4: key.last4, expiresAt: key.expiresAt };
}

/** Step 5: the route's {mailboxId} must be the key's own mailbox, or a mailbox of the key's tenant. */
export async function resolveMailboxScope(key: KeyRecord, mailboxId: string | undefined): Promise<MailboxRef | null> {
  const own: MailboxRef | null =
    key.kind === "mailbox" && key.mailboxId
      ? {
          id: key.mailboxId,
          tenantId: key.tenantId,
          address: key.mailboxAddress!,
          displayName: key.mailboxDisplayName,
          status: key.mailboxStatus!,
          sendPolicy: key.mailboxSendPolicy ?? "open",
        }
      : null;
  if (own?.status === "suspended") {
    throw new ApiError("mailbox_suspended", "This mailbox is suspended; its keys are refused until it is resumed");
  }
  if (mailboxId === undefined) return own;
  if (!isUuid(mailboxId)) throw new ApiError("not_found", "Mailbox not found");
  if (key.kind === "mailbox") {
    if (mailboxId !== key.mailboxId) throw new ApiError("not_found", "Mailbox not found");
    return own;
  }
  const mailbox = await getDb().mailbox.findFirst({
    where: { id: mailboxId, tenantId: key.tenantId, status: { not: "deleted" } },
    select: { id: true, tenantId: true, address: true, displayName: true, status: true, sendPolicy: true },
  });
  if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
  return mailbox;
}

export type KeyAuthentication = {
  key: KeyRecord;
  tenant: TenantRef;
  /** The mailbox named by `mailboxId`, or the key's own mailbox when none is named. */
  mailbox: MailboxRef | null;
  principal: Principal;
  /** RateLimit headers for the answer. */
  headers: Record<string, string>;
};

/** All the steps, in order, for an Authorization header, a required role and the mailbox the call names. */
export async function authenticateKey(input: {
  authorization: string | null;
  role: RequiredRole;
  mailboxId?: string;
}): Promise<KeyAuthentication> {
  const secret = readBearer(input.authorization);
  checkKeyFormat(secret);
  const key = await lookupKey(secret);
  checkKeyState(key);
  const mailbox = await resolveMailboxScope(key, input.mailboxId);
  checkRole(key, input.role);
  const headers = checkKeyRateLimit(key);
  void touchLastUsed(key);
  return {
    key,
    headers,
    tenant: { id: key.tenantId, name: key.tenantName, region: key.tenantRegion },
    mailbox,
    principal: toPrincipal(key),
  };
}
