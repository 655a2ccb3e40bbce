import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { rotateWebhookSecret } from "@/lib/webhooks/manage-webhooks";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

// POST /api/v1/webhooks/{webhookId}/rotate-secret – new secret (shown once); the old one signs too for 24 h
export const POST = withApiKey(ROUTES.rotateWebhookSecret, async (ctx) => rotateWebhookSecret(webhookScope(ctx), ctx.params.webhookId));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.rotateWebhookSecret.path);
