import "server-only";
import type { Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";

/**
 * Refuses to take away the tenant's last owner. The owner rows are locked first, so
 * two owners demoting each other at the same moment cannot both succeed.
 */
export async function assertAnotherOwnerRemains(tx: Tx, tenantId: string, leavingMembershipId: string): Promise<void> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Membership" WHERE "tenantId" = ${tenantId} AND role = 'owner' ORDER BY id FOR UPDATE`;
  if (!owners.some((o) => o.id !== leavingMembershipId)) {
    throw new ApiError("conflict", "A tenant needs at least one owner: make another member an owner first.");
  }
}
