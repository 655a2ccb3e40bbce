// The dashboard's wrappers: pages, server actions and route handlers each get one,
// built from the session steps in lib/auth/resolve-session.ts.
import "server-only";
import { redirect, unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { errorBody, errorResponse } from "@/lib/http/errors";
import { newRequestId } from "@/lib/http/request-id";
import { loadSession, requireSession, type SessionContext } from "@/lib/auth/resolve-session";
import type { MemberRole } from "@/lib/generated/prisma/enums";

/** For server components: sends the signed-out to sign-in and the tenant-less to create one. */
export async function getPageSession(): Promise<SessionContext> {
  const resolution = await loadSession();
  if (resolution.status === "signed_out") redirect("/sign-in");
  if (resolution.status === "no_tenant") redirect("/new-tenant");
  return resolution.context;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

export type SessionOptions = { role?: MemberRole; action?: string };

/** For server actions: the result carries either the data or a message the form can show. */
export async function runSessionAction<T>(
  options: SessionOptions,
  handler: (context: SessionContext) => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    const context = await requireSession(options.role, options.action);
    return { ok: true, data: await handler(context) };
  } catch (err) {
    unstable_rethrow(err);
    return { ok: false, error: actionError(err) };
  }
}

function actionError(err: unknown): { code: ErrorCode; message: string } {
  const { code, message, details } = errorBody(err, newRequestId()).body.error;
  const first = err instanceof ZodError && Array.isArray(details) ? (details[0] as { path: string; message: string } | undefined) : undefined;
  if (first) return { code, message: first.path ? `${first.path}: ${first.message}` : first.message };
  return { code, message };
}

/** For route handlers under app/api/dashboard: errors answer in the SPEC §3 shape. */
export function withSession<P = unknown>(
  handler: (request: Request, context: SessionContext & { requestId: string; params: P }) => Promise<Response>,
  options: SessionOptions = {},
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const context = await requireSession(options.role, options.action);
      const response = await handler(request, { ...context, requestId, params: await route.params });
      response.headers.set("x-request-id", requestId);
      response.headers.set("cache-control", "no-store");
      return response;
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
