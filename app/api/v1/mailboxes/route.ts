import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { keyActor } from "@/lib/keys/key-actor";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { listMailboxes } from "@/lib/mailboxes/list-mailboxes";
import { toMailboxDto } from "@/lib/mailboxes/schemas";

// GET /api/v1/mailboxes – list the tenant's mailboxes
export const GET = withApiKey(ROUTES.listMailboxes, async (ctx) => listMailboxes({ tenantId: ctx.tenant.id, ...ctx.query }));

// POST /api/v1/mailboxes – create a mailbox (201)
export const POST = withApiKey(ROUTES.createMailbox, async (ctx) =>
  toMailboxDto(await createMailbox({ tenantId: ctx.tenant.id, ...ctx.body, actor: keyActor(ctx.principal) })),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listMailboxes.path);
