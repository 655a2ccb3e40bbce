import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { removeSuppression } from "@/lib/suppression/remove-suppression";
import { decodeAddressParam } from "@/lib/suppression/schemas";

// DELETE /api/v1/mailboxes/{mailboxId}/suppressions/{address} – remove a URL-encoded address
export const DELETE = withApiKey(ROUTES.removeSuppression, async (ctx) => {
  const address = decodeAddressParam(ctx.params.address);
  await removeSuppression({ ...ctx.scope, address });
  return { address: address.toLowerCase(), deleted: true };
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods(ROUTES.removeSuppression.path);
