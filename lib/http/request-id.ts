import { randomBytes } from "node:crypto";
import { currentRequestContext } from "@/lib/observability/request-context";

/** The id of the request being served (the one its log line carries), or a new one. */
export function newRequestId(): string {
  return currentRequestContext()?.requestId ?? `req_${randomBytes(12).toString("base64url")}`;
}
