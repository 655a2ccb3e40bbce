import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { addSuppression } from "@/lib/suppression/add-suppression";
import { listSuppressions } from "@/lib/suppression/list-suppressions";

// GET /api/v1/mailboxes/{mailboxId}/suppressions – this mailbox's suppression list
export const GET = withApiKey(ROUTES.listSuppressions, async (ctx) => listSuppressions({ ...ctx.scope, ...ctx.query }));

// POST /api/v1/mailboxes/{mailboxId}/suppressions – add an address (201; 200 when already listed)
export const POST = withApiKey(ROUTES.addSuppression, async (ctx) => {
  const { created, suppression } = await addSuppression({ ...ctx.scope, ...ctx.body });
  return Response.json(suppression, { status: created ? 201 : 200 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listSuppressions.path);
