import { addListEntry, listListEntries, parseListPath } from "@/lib/guardrails/lists";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// GET /api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind} – the entries of one list
export const GET = withApiKey(ROUTES.listListEntries, async (ctx) => listListEntries({ ...ctx.scope, ...parseListPath(ctx.params), ...ctx.query }));

// POST /api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind} – add an address or @domain (201; 200 when already listed)
export const POST = withApiKey(ROUTES.addListEntry, async (ctx) => {
  const { created, entry } = await addListEntry({ ...ctx.scope, ...parseListPath(ctx.params), entry: ctx.body.entry });
  return Response.json(entry, { status: created ? 201 : 200 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listListEntries.path);
