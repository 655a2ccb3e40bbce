import "server-only";
import { ApiError } from "@/lib/errors";
import type { ApiContext } from "@/lib/http/with-api-key";

/** The tenant and the route's mailbox, as withApiKey resolved and scope-checked them. */
export function mailboxScope(ctx: Pick<ApiContext<unknown>, "tenant" | "mailbox">): { tenantId: string; mailboxId: string } {
  if (!ctx.mailbox) throw new ApiError("not_found", "Mailbox not found");
  return { tenantId: ctx.tenant.id, mailboxId: ctx.mailbox.id };
}
