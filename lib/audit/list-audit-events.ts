import "server-only";
import { getDb } from "@/lib/db";
import { NO_CONTROL_CHARS } from "@/lib/mailboxes/schemas";

export const AUDIT_PAGE_SIZE = 50;

/** Newest first (ids are UUIDv7), cursor-paginated, optionally one action only. */
export async function listAuditEvents(input: { tenantId: string; action?: string | null; cursor?: string | null; limit?: number }) {
  const limit = input.limit ?? AUDIT_PAGE_SIZE;
  // The filter comes from the URL: an action with a control character (NUL is a
  // database error) names no action, so nothing matches.
  if (input.action && !NO_CONTROL_CHARS.test(input.action)) return { data: [], nextCursor: null };
  const rows = await getDb().auditEvent.findMany({
    where: {
      tenantId: input.tenantId,
      ...(input.action ? { action: input.action } : {}),
      ...(input.cursor ? { id: { lt: input.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { data: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

/** The actions that occur in this tenant's log, for the filter. */
export async function listAuditActions(input: { tenantId: string }): Promise<string[]> {
  const rows = await getDb().auditEvent.findMany({
    where: { tenantId: input.tenantId },
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return rows.map((r) => r.action);
}
