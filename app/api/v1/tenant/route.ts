import { getTenantSending, setTenantSending } from "@/lib/guardrails/sending-switch";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { keyActor } from "@/lib/keys/key-actor";

// GET /api/v1/tenant – the tenant and its sending state
export const GET = withApiKey(ROUTES.getTenant, async (ctx) => getTenantSending(ctx.tenant.id));

// PATCH /api/v1/tenant – {"sending": "paused" | "active"}: the kill switch
export const PATCH = withApiKey(ROUTES.updateTenant, async (ctx) => {
  const { tenant } = await setTenantSending({ tenantId: ctx.tenant.id, sending: ctx.body.sending, actor: keyActor(ctx.principal) });
  return tenant;
});

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(ROUTES.getTenant.path);
