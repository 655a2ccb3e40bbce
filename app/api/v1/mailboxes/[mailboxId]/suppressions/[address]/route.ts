import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { decodeAddressParam } from "@/lib/suppression/schemas";
import { removeSuppression } from "@/lib/suppression/remove-suppression";

type Params = { mailboxId: string; address: string };

// DELETE /api/v1/mailboxes/{mailboxId}/suppressions/{address} – remove a URL-encoded address
export const DELETE = withApiKey<Params>(
  async (_req, ctx) => {
    const address = decodeAddressParam(ctx.params.address);
    await removeSuppression({ tenantId: ctx.tenant.id, mailboxId: ctx.params.mailboxId, address });
    return Response.json({ address: address.toLowerCase(), deleted: true });
  },
  { role: "management" },
);

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsOtherThan("DELETE");
