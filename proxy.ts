// Answers a known /api/v1 path called with a method it does not serve with 405 in
// the API's error shape (Next's own 405 has no body).
import { NextResponse, type NextRequest } from "next/server";
import { allowedMethods } from "@/lib/http/route-table";

export function proxy(req: NextRequest) {
  const allowed = allowedMethods(req.nextUrl.pathname);
  if (allowed.length === 0 || allowed.includes(req.method) || (req.method === "HEAD" && allowed.includes("GET"))) {
    return NextResponse.next();
  }
  const requestId = `req_${crypto.randomUUID().replace(/-/g, "")}`;
  return NextResponse.json(
    { error: { code: "method_not_allowed", message: `${req.method} is not allowed here; use ${allowed.join(", ")}`, requestId } },
    { status: 405, headers: { Allow: allowed.join(", "), "x-request-id": requestId } },
  );
}

export const config = { matcher: "/api/v1/:path*" };
