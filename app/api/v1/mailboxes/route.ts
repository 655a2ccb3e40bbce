import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery, readJson } from "@/lib/http/json-body";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { listMailboxes } from "@/lib/mailboxes/list-mailboxes";
import { createMailboxBody, listMailboxesQuery, toMailboxDto } from "@/lib/mailboxes/schemas";
import { keyActor } from "@/lib/keys/key-actor";

// GET /api/v1/mailboxes – list the tenant's mailboxes
export const GET = withApiKey(
  async (req, ctx) => Response.json(await listMailboxes({ tenantId: ctx.tenant.id, ...parseQuery(req, listMailboxesQuery) })),
  { role: "tenant" },
);

// POST /api/v1/mailboxes – create a mailbox
export const POST = withApiKey(
  async (req, ctx) => {
    const body = await readJson(req, createMailboxBody);
    const mailbox = await createMailbox({ tenantId: ctx.tenant.id, ...body, actor: keyActor(ctx.principal) });
    return Response.json(toMailboxDto(mailbox), { status: 201 });
  },
  { role: "tenant" },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET", "POST");
