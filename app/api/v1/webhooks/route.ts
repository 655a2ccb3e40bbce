import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery, readJson } from "@/lib/http/json-body";
import { createWebhook, listWebhooks } from "@/lib/webhooks/manage-webhooks";
import { createWebhookBody, listWebhooksQuery } from "@/lib/webhooks/schemas";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

// GET /api/v1/webhooks – list webhook endpoints, newest first
export const GET = withApiKey(async (req, ctx) => Response.json(await listWebhooks(webhookScope(ctx), parseQuery(req, listWebhooksQuery))), {
  role: "management",
});

// POST /api/v1/webhooks – create an endpoint; 201 with its secret, shown only here
export const POST = withApiKey(
  async (req, ctx) => Response.json(await createWebhook(webhookScope(ctx), await readJson(req, createWebhookBody)), { status: 201 }),
  { role: "management" },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET", "POST");
