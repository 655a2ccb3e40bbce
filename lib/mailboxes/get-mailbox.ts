import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";

/** A live mailbox of this tenant, or 404: another tenant's mailbox is indistinguishable from none. */
export async function getMailboxOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  const mailbox = await getDb().mailbox.findFirst({ where: { id, tenantId, status: { not: "deleted" } } });
  if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
  return mailbox;
}
