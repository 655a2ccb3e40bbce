// Customer webhook endpoints (SPEC §12), for the REST routes and the dashboard.
// A tenant-wide caller (sm_mgmt_ key, owner/admin) manages every endpoint of its
// tenant; a management mailbox key only endpoints filtered to exactly its own
// mailbox. Any other endpoint is indistinguishable from one that does not exist.
import "server-only";
import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { decodeCursor, toPage } from "@/lib/pagination";
import { isUuid, uuidv7 } from "@/lib/ids";
import { enqueueJob } from "@/lib/jobs/claim-jobs";
import { WEBHOOK_JOB } from "@/lib/events/record-event";
import type { EventType } from "@/lib/events/types";
import type { WebhookDelivery, WebhookEndpoint } from "@/lib/generated/prisma/client";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks/schemas";
import { checkTargetUrl, resolveTarget, TargetRefused } from "@/lib/webhooks/target-policy";

export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export type WebhookScope = { tenantId: string; ownMailboxId: string | null };

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function visible(scope: WebhookScope) {
  return scope.ownMailboxId ? { tenantId: scope.tenantId, mailboxIds: { equals: [scope.ownMailboxId] } } : { tenantId: scope.tenantId };
}

export function toWebhookDto(row: WebhookEndpoint, now = new Date()): WebhookDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as EventType[],
    mailboxIds: row.mailboxIds,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    secretRotatingUntil: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDeliveryDto(row: WebhookDelivery): DeliveryDto {
  return {
    id: row.id,
    eventId: row.eventId?.toString() ?? null,
    eventType: row.eventType,
    test: row.testPayload !== null,
    status: row.status as DeliveryDto["status"],
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastDurationMs: row.lastDurationMs,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function checkUrl(raw: string): Promise<string> {
  try {
    const url = checkTargetUrl(raw);
    await resolveTarget(url);
    return url.toString();
  } catch (err) {
    if (err instanceof TargetRefused) throw new ApiError("validation_error", err.message, { details: [{ path: "url", message: err.message }] });
    throw err;
  }
}

async function checkMailboxIds(scope: WebhookScope, ids: string[] | undefined): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  if (scope.ownMailboxId) {
    // A mailbox key's endpoint is always filtered to its own mailbox.
    if (unique.some((id) => id !== scope.ownMailboxId)) {
      throw new ApiError("validation_error", "A mailbox key can only subscribe to its own mailbox", {
        details: [{ path: "mailboxIds", message: "must be omitted or list only this key's mailbox" }],
      });
    }
    return [scope.ownMailboxId];
  }
  if (unique.length === 0) return [];
  const found = await getDb().mailbox.findMany({
    where: { tenantId: scope.tenantId, id: { in: unique }, status: { not: "deleted" } },
    select: { id: true },
  });
  const known = new Set(found.map((m) => m.id));
  const missing = unique.findIndex((id) => !known.has(id));
  if (missing >= 0) {
    throw new ApiError("validation_error", `Mailbox ${unique[missing]} not found`, { details: [{ path: `mailboxIds.${missing}`, message: "no such mailbox" }] });
  }
  return unique;
}

export async function createWebhook(
  scope: WebhookScope,
  input: { url: string; eventTypes?: EventType[]; mailboxIds?: string[]; description?: string | null },
): Promise<WebhookDto & { secret: string }> {
  const url = await checkUrl(input.url);
  const mailboxIds = await checkMailboxIds(scope, input.mailboxIds);
  const secret = newWebhookSecret();
  const row = await getDb().webhookEndpoint.create({
    data: {
      id: uuidv7(),
      tenantId: scope.tenantId,
      url,
      description: input.description?.trim() || null,
      eventTypes: [...new Set(input.eventTypes ?? [])],
      mailboxIds,
      ownerMailboxId: scope.ownMailboxId,
      secret,
    },
  });
  return { ...toWebhookDto(row), secret };
}

export async function getWebhookRow(scope: WebhookScope, id: string): Promise<WebhookEndpoint> {
  const row = isUuid(id) ? await getDb().webhookEndpoint.findFirst({ where: { id, ...visible(scope) } }) : null;
  if (!row) throw new ApiError("not_found", "Webhook endpoint not found");
  return row;
}

export async function getWebhook(scope: WebhookScope, id: string): Promise<WebhookDto> {
  return toWebhookDto(await getWebhookRow(scope, id));
}

export async function listWebhooks(scope: WebhookScope, page: { limit: number; cursor?: string }) {
  const before = decodeCursor(page.cursor);
  const rows = await getDb().webhookEndpoint.findMany({
    where: { ...visible(scope), ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const { data, nextCursor } = toPage(rows, page.limit);
  return { data: data.map((r) => toWebhookDto(r)), nextCursor };
}

export async function updateWebhook(
  scope: WebhookScope,
  id: string,
  input: { url?: string; eventTypes?: EventType[]; mailboxIds?: string[]; description?: string | null; enabled?: boolean },
): Promise<WebhookDto> {
  const existing = await getWebhookRow(scope, id);
  const url = input.url !== undefined ? await checkUrl(input.url) : undefined;
  const mailboxIds = input.mailboxIds !== undefined ? await checkMailboxIds(scope, input.mailboxIds) : undefined;
  const reenable = input.enabled === true && !existing.enabled;
  const row = await getDb().webhookEndpoint.update({
    where: { tenantId_id: { tenantId: scope.tenantId, id: existing.id } },
    data: {
      url,
      mailboxIds,
      eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : undefined,
      description: input.description === undefined ? undefined : input.description?.trim() || null,
      enabled: input.enabled,
      ...(reenable ? { disabledReason: null, failingSince: null } : {}),
      ...(input.enabled === false ? { disabledReason: "Disabled by the tenant" } : {}),
    },
  });
  return toWebhookDto(row);
}

export async function deleteWebhook(scope: WebhookScope, id: string): Promise<{ id: string; deleted: true }> {
  const existing = await getWebhookRow(scope, id);
  await getDb().$transaction(async (tx) => {
    await tx.webhookEndpoint.deleteMany({ where: { id: existing.id, tenantId: scope.tenantId } });
    // Its queued deliveries go with it (their rows cascade); the jobs would find nothing.
    await tx.$executeRaw`DELETE FROM "Job" WHERE kind = ${WEBHOOK_JOB} AND "tenantId" = ${scope.tenantId} AND status = 'pending'
      AND id NOT IN (SELECT id FROM "WebhookDelivery" WHERE "tenantId" = ${scope.tenantId})`;
  });
  return { id: existing.id, deleted: true };
}

/** A new secret; the previous one keeps signing (a second signature) for 24 h. */
export async function rotateWebhookSecret(scope: WebhookScope, id: string): Promise<WebhookDto & { secret: string }> {
  const existing = await getWebhookRow(scope, id);
  const secret = newWebhookSecret();
  const row = await getDb().webhookEndpoint.update({
    where: { tenantId_id: { tenantId: scope.tenantId, id: existing.id } },
    data: { secret, previousSecret: existing.secret, previousSecretExpiresAt: new Date(Date.now() + ROTATION_GRACE_MS) },
  });
  return { ...toWebhookDto(row), secret };
}

export async function listDeliveries(scope: WebhookScope, endpointId: string, page: { limit: number; cursor?: string; status?: string }) {
  const endpoint = await getWebhookRow(scope, endpointId);
  const before = decodeCursor(page.cursor);
  const rows = await getDb().webhookDelivery.findMany({
    where: {
      tenantId: scope.tenantId,
      endpointId: endpoint.id,
      ...(page.status ? { status: page.status } : {}),
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const { data, nextCursor } = toPage(rows, page.limit);
  return { data: data.map(toDeliveryDto), nextCursor };
}

/** The attempts of one delivery, oldest first (the dashboard's delivery log). */
export async function listAttempts(scope: WebhookScope, endpointId: string, deliveryId: string) {
  const endpoint = await getWebhookRow(scope, endpointId);
  return getDb().webhookAttempt.findMany({
    where: { tenantId: scope.tenantId, deliveryId, delivery: { endpointId: endpoint.id } },
    orderBy: { attempt: "asc" },
  });
}

/** "Resend now": the delivery is attempted again at once, one attempt beyond its schedule if it was used up. */
export async function resendDelivery(scope: WebhookScope, endpointId: string, deliveryId: string): Promise<DeliveryDto> {
  const endpoint = await getWebhookRow(scope, endpointId);
  const db = getDb();
  return db.$transaction(async (tx) => {
    const delivery = isUuid(deliveryId)
      ? await tx.webhookDelivery.findFirst({ where: { id: deliveryId, tenantId: scope.tenantId, endpointId: endpoint.id } })
      : null;
    if (!delivery) throw new ApiError("not_found", "Delivery not found");
    const updated = await tx.webhookDelivery.update({
      where: { tenantId_id: { tenantId: scope.tenantId, id: delivery.id } },
      data: { status: "pending", nextAttemptAt: new Date() },
    });
    const moved = await tx.$executeRaw`
      UPDATE "Job" SET status = 'pending', "runAt" = now(), "lockedUntil" = NULL, "updatedAt" = now(),
        "maxAttempts" = greatest("maxAttempts", attempts + 1)
      WHERE id = ${delivery.id} AND "tenantId" = ${scope.tenantId} AND status <> 'running'`;
    if (moved === 0) {
      const exists = await tx.job.findFirst({ where: { id: delivery.id, tenantId: scope.tenantId }, select: { id: true } });
      if (!exists) await enqueueJob(tx, { id: delivery.id, tenantId: scope.tenantId, kind: WEBHOOK_JOB, payload: { deliveryId: delivery.id } });
    }
    return toDeliveryDto(updated);
  });
}

/** Queues a signed "webhook.test" event for one endpoint (it is not in the event log). */
export async function sendTestEvent(scope: WebhookScope, endpointId: string): Promise<DeliveryDto> {
  const endpoint = await getWebhookRow(scope, endpointId);
  const id = uuidv7();
  const payload = {
    id: `test_${id}`,
    type: "webhook.test",
    createdAt: new Date().toISOString(),
    tenantId: scope.tenantId,
    mailboxId: null,
    data: { endpointId: endpoint.id },
  };
  return getDb().$transaction(async (tx) => {
    const row = await tx.webhookDelivery.create({
      data: { id, tenantId: scope.tenantId, endpointId: endpoint.id, eventType: "webhook.test", testPayload: payload, nextAttemptAt: new Date() },
    });
    await enqueueJob(tx, { id, tenantId: scope.tenantId, kind: WEBHOOK_JOB, payload: { deliveryId: id } });
    return toDeliveryDto(row);
  });
}
