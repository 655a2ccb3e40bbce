import "server-only";
import type { MailboxRef, Principal } from "@/lib/keys/authenticate-key";
import type { WebhookScope } from "@/lib/webhooks/manage-webhooks";

/** A management mailbox key manages only endpoints of its own mailbox; a sm_mgmt_ key all of its tenant's. */
export function webhookScope(ctx: { tenant: { id: string }; mailbox: MailboxRef | null; principal: Principal }): WebhookScope {
  return { tenantId: ctx.tenant.id, ownMailboxId: ctx.principal.kind === "mailbox" ? (ctx.mailbox?.id ?? null) : null };
}
