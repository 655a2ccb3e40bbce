import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/manage-webhooks";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

// GET /api/v1/webhooks/{webhookId} – get an endpoint (never its secret)
export const GET = withApiKey(ROUTES.getWebhook, async (ctx) => getWebhook(webhookScope(ctx), ctx.params.webhookId));

// PATCH /api/v1/webhooks/{webhookId} – change URL, filters, description, enabled
export const PATCH = withApiKey(ROUTES.updateWebhook, async (ctx) => updateWebhook(webhookScope(ctx), ctx.params.webhookId, ctx.body));

// DELETE /api/v1/webhooks/{webhookId} – delete an endpoint and its pending deliveries
export const DELETE = withApiKey(ROUTES.deleteWebhook, async (ctx) => deleteWebhook(webhookScope(ctx), ctx.params.webhookId));

export const { PUT, POST, OPTIONS } = otherMethods(ROUTES.getWebhook.path);
