import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { toMailboxDto, updateMailboxBody } from "@/lib/mailboxes/schemas";
import { keyActor } from "@/lib/keys/key-actor";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId} – get a mailbox
export const GET = withApiKey<Params>(
  async (_req, ctx) => Response.json(toMailboxDto(await getMailboxOrThrow({ tenantId: ctx.tenant.id, id: ctx.params.mailboxId }))),
  { role: "read" },
);

// PATCH /api/v1/mailboxes/{mailboxId} – display name, limits; status with sm_mgmt_ only
export const PATCH = withApiKey<Params>(
  async (req, ctx) => {
    const changes = await readJson(req, updateMailboxBody);
    const updated = await updateMailbox({
      tenantId: ctx.tenant.id,
      mailboxId: ctx.params.mailboxId,
      changes,
      actor: keyActor(ctx.principal),
      mayChangeStatus: ctx.principal.kind === "tenant",
    });
    return Response.json(toMailboxDto(updated));
  },
  { role: "management" },
);

// DELETE /api/v1/mailboxes/{mailboxId} – crypto-shred, then purge
export const DELETE = withApiKey<Params>(
  async (_req, ctx) => {
    const deleted = await deleteMailbox({ tenantId: ctx.tenant.id, mailboxId: ctx.params.mailboxId, actor: keyActor(ctx.principal) });
    return Response.json({ id: deleted.id, deleted: true });
  },
  { role: "tenant" },
);

export const { POST, PUT, OPTIONS } = methodsOtherThan("GET", "PATCH", "DELETE");
