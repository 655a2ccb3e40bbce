import { decodeEntryParam, parseListPath, removeTenantListEntry } from "@/lib/guardrails/lists";
import { keyActor } from "@/lib/keys/key-actor";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// DELETE /api/v1/lists/{direction}/{kind}/{entry} – remove a URL-encoded entry from a tenant-wide list
export const DELETE = withApiKey(ROUTES.removeTenantListEntry, async (ctx) => {
  const list = parseListPath(ctx.params);
  const entry = decodeEntryParam(ctx.params.entry);
  await removeTenantListEntry({ tenantId: ctx.tenant.id, ...list, entry, actor: keyActor(ctx.principal) });
  return { entry, deleted: true };
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods(ROUTES.removeTenantListEntry.path);
