import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { keyActor } from "@/lib/keys/key-actor";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { toMailboxDto } from "@/lib/mailboxes/schemas";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";

// GET /api/v1/mailboxes/{mailboxId} – get a mailbox
export const GET = withApiKey(ROUTES.getMailbox, async (ctx) => toMailboxDto(await getMailboxOrThrow({ tenantId: ctx.tenant.id, id: ctx.mailbox.id })));

// PATCH /api/v1/mailboxes/{mailboxId} – display name, limits; status with sm_mgmt_ only
export const PATCH = withApiKey(ROUTES.updateMailbox, async (ctx) =>
  toMailboxDto(
    await updateMailbox({ ...ctx.scope, changes: ctx.body, actor: keyActor(ctx.principal), mayChangeStatus: ctx.principal.kind === "tenant" }),
  ),
);

// DELETE /api/v1/mailboxes/{mailboxId} – crypto-shred, then purge
export const DELETE = withApiKey(ROUTES.deleteMailbox, async (ctx) => {
  const deleted = await deleteMailbox({ ...ctx.scope, actor: keyActor(ctx.principal) });
  return { id: deleted.id, deleted: true };
});

export const { POST, PUT, OPTIONS } = otherMethods(ROUTES.getMailbox.path);
