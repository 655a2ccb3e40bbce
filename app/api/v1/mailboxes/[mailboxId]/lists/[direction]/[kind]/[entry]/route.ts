import { decodeEntryParam, parseListPath, removeListEntry } from "@/lib/guardrails/lists";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// DELETE /api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind}/{entry} – remove a URL-encoded entry
export const DELETE = withApiKey(ROUTES.removeListEntry, async (ctx) => {
  const list = parseListPath(ctx.params);
  const entry = decodeEntryParam(ctx.params.entry);
  await removeListEntry({ ...ctx.scope, ...list, entry });
  return { entry, deleted: true };
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods(ROUTES.removeListEntry.path);
