import { addTenantListEntry, listTenantListEntries, parseListPath } from "@/lib/guardrails/lists";
import { keyActor } from "@/lib/keys/key-actor";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// GET /api/v1/lists/{direction}/{kind} – the entries of one tenant-wide list
export const GET = withApiKey(ROUTES.listTenantListEntries, async (ctx) => listTenantListEntries({ tenantId: ctx.tenant.id, ...parseListPath(ctx.params), ...ctx.query }));

// POST /api/v1/lists/{direction}/{kind} – add an address or @domain for every mailbox (201; 200 when already listed)
export const POST = withApiKey(ROUTES.addTenantListEntry, async (ctx) => {
  const { created, entry } = await addTenantListEntry({ tenantId: ctx.tenant.id, ...parseListPath(ctx.params), entry: ctx.body.entry, actor: keyActor(ctx.principal) });
  return Response.json(entry, { status: created ? 201 : 200 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listTenantListEntries.path);
