// The context of the HTTP request being served: created by the app server for every
// request (server-hooks.ts), filled in by the API wrapper (route, tenant), and read
// for the request's log line and metrics. Kept on globalThis: Next.js loads
// instrumentation and route handlers as separate module graphs.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestContext = {
  requestId: string;
  /** The route pattern (e.g. /api/v1/mailboxes/{mailboxId}/messages), never the raw path. */
  route?: string;
  tenantId?: string;
};

const holder = globalThis as typeof globalThis & { __sairaphRequestContext?: AsyncLocalStorage<RequestContext> };

export function requestContextStorage(): AsyncLocalStorage<RequestContext> {
  holder.__sairaphRequestContext ??= new AsyncLocalStorage<RequestContext>();
  return holder.__sairaphRequestContext;
}

export function currentRequestContext(): RequestContext | undefined {
  return holder.__sairaphRequestContext?.getStore();
}

/** Called by the API wrappers once they know the route and the tenant (never a key or an address). */
export function annotateRequest(fields: { route?: string; tenantId?: string }): void {
  const ctx = currentRequestContext();
  if (!ctx) return;
  if (fields.route) ctx.route = fields.route;
  if (fields.tenantId) ctx.tenantId = fields.tenantId;
}
