import { checkHealth } from "@/lib/health/check-health";
import { newRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

// GET /api/health – liveness and database reachability
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "x-request-id": newRequestId(), "cache-control": "no-store" },
  });
}
