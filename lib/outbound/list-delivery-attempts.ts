import "server-only";
import { getDb } from "@/lib/db";

export type DeliveryAttemptItem = {
  attempt: number;
  outcome: string;
  httpStatus: number | null;
  error: string | null;
  createdAt: string;
};

/** Each message's provider calls, oldest first (errors are stored redacted). */
export async function listDeliveryAttempts(input: { tenantId: string; messageIds: string[] }): Promise<Record<string, DeliveryAttemptItem[]>> {
  if (input.messageIds.length === 0) return {};
  const rows = await getDb().deliveryAttempt.findMany({
    where: { tenantId: input.tenantId, messageId: { in: input.messageIds } },
    orderBy: { id: "asc" },
    select: { messageId: true, attempt: true, outcome: true, httpStatus: true, error: true, createdAt: true },
  });
  const byMessage: Record<string, DeliveryAttemptItem[]> = {};
  for (const r of rows) {
    if (!r.messageId) continue;
    (byMessage[r.messageId] ??= []).push({
      attempt: r.attempt,
      outcome: r.outcome,
      httpStatus: r.httpStatus,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
    });
  }
  return byMessage;
}
