import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/manage-webhooks";
import { updateWebhookBody } from "@/lib/webhooks/schemas";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

type Params = { webhookId: string };

// GET /api/v1/webhooks/{webhookId} – get an endpoint (never its secret)
export const GET = withApiKey<Params>(async (_req, ctx) => Response.json(await getWebhook(webhookScope(ctx), ctx.params.webhookId)), {
  role: "management",
});

// PATCH /api/v1/webhooks/{webhookId} – change URL, filters, description, enabled
export const PATCH = withApiKey<Params>(
  async (req, ctx) => Response.json(await updateWebhook(webhookScope(ctx), ctx.params.webhookId, await readJson(req, updateWebhookBody))),
  { role: "management" },
);

// DELETE /api/v1/webhooks/{webhookId} – delete an endpoint and its pending deliveries
export const DELETE = withApiKey<Params>(async (_req, ctx) => Response.json(await deleteWebhook(webhookScope(ctx), ctx.params.webhookId)), {
  role: "management",
});

export const { PUT, POST, OPTIONS } = methodsOtherThan("GET", "PATCH", "DELETE");
