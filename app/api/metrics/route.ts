import { errorResponse } from "@/lib/http/errors";
import { newRequestId } from "@/lib/http/request-id";
import { checkMetricsAccess } from "@/lib/observability/metrics-access";
import { getMetrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

// GET /api/metrics – Prometheus text format, with Authorization: Bearer <SAIRAPH_METRICS_TOKEN>
export async function GET(req: Request) {
  const requestId = newRequestId();
  try {
    checkMetricsAccess(req.headers.get("authorization"));
    const { registry } = getMetrics();
    return new Response(await registry.metrics(), {
      headers: { "content-type": registry.contentType, "cache-control": "no-store", "x-request-id": requestId },
    });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
