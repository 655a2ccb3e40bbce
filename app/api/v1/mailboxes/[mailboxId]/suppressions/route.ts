import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery, readJson } from "@/lib/http/json-body";
import { addSuppression } from "@/lib/suppression/add-suppression";
import { listSuppressions } from "@/lib/suppression/list-suppressions";
import { addSuppressionBody, listSuppressionsQuery } from "@/lib/suppression/schemas";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/suppressions – this mailbox's suppression list
export const GET = withApiKey<Params>(
  async (req, ctx) =>
    Response.json(await listSuppressions({ tenantId: ctx.tenant.id, mailboxId: ctx.params.mailboxId, ...parseQuery(req, listSuppressionsQuery) })),
  { role: "read" },
);

// POST /api/v1/mailboxes/{mailboxId}/suppressions – add an address (201; 200 when already listed)
export const POST = withApiKey<Params>(
  async (req, ctx) => {
    const body = await readJson(req, addSuppressionBody);
    const { created, suppression } = await addSuppression({ tenantId: ctx.tenant.id, mailboxId: ctx.params.mailboxId, ...body });
    return Response.json(suppression, { status: created ? 201 : 200 });
  },
  { role: "management" },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET", "POST");
