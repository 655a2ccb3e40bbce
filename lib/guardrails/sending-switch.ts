// The tenant's kill switch (SPEC §13): an owner (dashboard) or a sm_mgmt_ key
// (PATCH /api/v1/tenant) pauses all sending of the tenant at once. While paused, a
// send answers 403 sending_paused and the outbox leaves queued mail waiting (deferred,
// never failed); resuming brings every message held by the pause forward and kicks
// the worker. Both directions are audited.
import "server-only";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { kickOutboxWorker } from "@/lib/outbound/outbox-worker";

export type SendingState = "active" | "paused";

export type TenantSendingDto = { id: string; name: string; region: string; sending: SendingState; sendingPausedAt: string | null };

/** The reason a delivery job held back by the pause carries (lastError), so resume finds exactly those. */
export const SENDING_PAUSED_REASON = "Sending is paused for this tenant; the message waits until it is resumed";

/** How long a held delivery waits before it looks again, should the resume's nudge be missed. */
export const PAUSED_RECHECK_MS = 60_000;

function toDto(t: { id: string; name: string; region: string; sendingPausedAt: Date | null }): TenantSendingDto {
  return { id: t.id, name: t.name, region: t.region, sending: t.sendingPausedAt ? "paused" : "active", sendingPausedAt: t.sendingPausedAt?.toISOString() ?? null };
}

export async function getTenantSending(tenantId: string): Promise<TenantSendingDto> {
  const t = await getDb().tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true, region: true, sendingPausedAt: true } });
  if (!t) throw new ApiError("not_found", "Tenant not found");
  return toDto(t);
}

/** 403 sending_paused while the tenant's kill switch is on (checked when a send is accepted or approved). */
export async function assertSendingActive(tenantId: string): Promise<void> {
  const rows = await getDb().$queryRaw<{ paused: boolean }[]>`SELECT "sendingPausedAt" IS NOT NULL AS paused FROM "Tenant" WHERE id = ${tenantId}`;
  if (rows[0]?.paused) throw new ApiError("sending_paused", "Sending is paused for this tenant; an owner can resume it in the dashboard");
}

/**
 * Pauses or resumes. Setting the state it already has changes nothing and writes no
 * audit row. Returns whether anything changed, with the tenant's state.
 */
export async function setTenantSending(input: { tenantId: string; sending: SendingState; actor: Actor }): Promise<{ changed: boolean; tenant: TenantSendingDto }> {
  const result = await getDb().$transaction(async (tx) => {
    const before = await tx.$queryRaw<{ pausedAt: Date | null }[]>`SELECT "sendingPausedAt" AS "pausedAt" FROM "Tenant" WHERE id = ${input.tenantId} FOR UPDATE`;
    if (before.length === 0) throw new ApiError("not_found", "Tenant not found");
    const wasPaused = before[0].pausedAt !== null;
    const pause = input.sending === "paused";
    if (wasPaused === pause) return { changed: false };
    await tx.tenant.update({ where: { id: input.tenantId }, data: { sendingPausedAt: pause ? new Date() : null } });
    if (!pause) {
      // Held deliveries go now, not at their next recheck; deferral never counted an attempt.
      await tx.$executeRaw`UPDATE "Job" SET "runAt" = now(), "lastError" = NULL, "updatedAt" = now()
        WHERE "tenantId" = ${input.tenantId} AND status = 'pending' AND "lastError" = ${SENDING_PAUSED_REASON}`;
    }
    await recordAuditEvent(tx, { tenantId: input.tenantId, actor: input.actor, action: pause ? "tenant.sending_paused" : "tenant.sending_resumed", targetType: "tenant", targetId: input.tenantId });
    return { changed: true };
  });
  if (result.changed && input.sending === "active") kickOutboxWorker();
  return { changed: result.changed, tenant: await getTenantSending(input.tenantId) };
}
