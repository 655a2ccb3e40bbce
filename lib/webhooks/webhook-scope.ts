import "server-only";
import type { ApiContext } from "@/lib/http/with-api-key";
import type { WebhookScope } from "@/lib/webhooks/manage-webhooks";

/** A management mailbox key manages only endpoints of its own mailbox; a sm_mgmt_ key all of its tenant's. */
export function webhookScope(ctx: Pick<ApiContext<unknown>, "tenant" | "mailbox" | "principal">): WebhookScope {
  return { tenantId: ctx.tenant.id, ownMailboxId: ctx.principal.kind === "mailbox" ? (ctx.mailbox?.id ?? null) : null };
}
