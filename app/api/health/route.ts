import { checkHealth, checkReadiness } from "@/lib/health/check-health";
import { newRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

// GET /api/health – liveness and database reachability; ?ready=1 – readiness: also
// every migration applied and a job worker that beat in the last 30 s
export async function GET(req?: Request) {
  const ready = req ? new URL(req.url).searchParams.get("ready") : null;
  const health = ready === "1" || ready === "true" ? await checkReadiness() : await checkHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "x-request-id": newRequestId(), "cache-control": "no-store" },
  });
}
