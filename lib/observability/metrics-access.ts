// Who may read GET /api/metrics: nobody when SAIRAPH_METRICS_TOKEN is unset (404, as
// if the route did not exist), else a request bearing exactly that token.
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

export function checkMetricsAccess(authorization: string | null): void {
  const token = getEnv().SAIRAPH_METRICS_TOKEN;
  if (!token) throw new ApiError("not_found", "Not found");
  const presented = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
  // Compared as fixed-size digests, in constant time, whatever the presented length.
  if (!presented || !timingSafeEqual(digest(presented.slice(0, 1024)), digest(token))) {
    throw new ApiError("unauthorized", "A valid metrics token is required (Authorization: Bearer <SAIRAPH_METRICS_TOKEN>)", {}, {
      "www-authenticate": 'Bearer realm="metrics"',
    });
  }
}
