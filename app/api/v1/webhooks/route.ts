import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { createWebhook, listWebhooks } from "@/lib/webhooks/manage-webhooks";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

// GET /api/v1/webhooks – list webhook endpoints, newest first
export const GET = withApiKey(ROUTES.listWebhooks, async (ctx) => listWebhooks(webhookScope(ctx), ctx.query));

// POST /api/v1/webhooks – create an endpoint; 201 with its secret, shown only here
export const POST = withApiKey(ROUTES.createWebhook, async (ctx) => createWebhook(webhookScope(ctx), ctx.body));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listWebhooks.path);
