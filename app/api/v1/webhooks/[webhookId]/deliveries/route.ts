import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { listDeliveries } from "@/lib/webhooks/manage-webhooks";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

// GET /api/v1/webhooks/{webhookId}/deliveries – the endpoint's deliveries, newest first
export const GET = withApiKey(ROUTES.listWebhookDeliveries, async (ctx) => listDeliveries(webhookScope(ctx), ctx.params.webhookId, ctx.query));

export const { PUT, POST, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listWebhookDeliveries.path);
