// What the app server (scripts/serve.mjs) calls into, installed on globalThis by
// instrumentation.ts: a context, a log line and metrics for every request, and the
// shutdown steps once the requests in flight have finished.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { disconnectDb } from "@/lib/db";
import { newRequestId } from "@/lib/http/request-id";
import { flushLogger, getLogger } from "@/lib/observability/logger";
import { getMetrics } from "@/lib/observability/metrics";
import { requestContextStorage, type RequestContext } from "@/lib/observability/request-context";
import { stopOutboxWorker } from "@/lib/outbound/outbox-worker";

/** How long a stopping worker waits for the deliveries in hand before handing them back. */
const WORKER_GRACE_MS = 8_000;

export type ServerHooks = {
  aroundRequest(req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void>;
  shutdown(): Promise<void>;
  log(level: "info" | "warn" | "error", message: string): void;
};

const STATIC_SEGMENT = /^[a-z][a-z0-9_-]{0,39}(\.json)?$/;

/**
 * A bounded label for a request the API wrapper did not name: ids, addresses and
 * domains become placeholders, Next's assets one bucket, unknown paths "unmatched".
 */
export function routeLabel(url: string | undefined, status: number): string {
  const pathname = (url ?? "/").split("?")[0].slice(0, 512);
  if (pathname.startsWith("/_next/")) return "/_next/*";
  if (status === 404) return "unmatched";
  const segments = pathname.split("/").filter(Boolean).slice(0, 8);
  return `/${segments.map((s) => (STATIC_SEGMENT.test(s) ? s : "{param}")).join("/")}`;
}

export function createServerHooks(): ServerHooks {
  const logger = getLogger();
  const metrics = getMetrics();
  const storage = requestContextStorage();
  return {
    aroundRequest(req, res, run) {
      const ctx: RequestContext = { requestId: newRequestId() };
      const started = process.hrtime.bigint();
      res.setHeader("x-request-id", ctx.requestId);
      res.once("close", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const status = res.writableFinished ? res.statusCode : 499;
        const route = ctx.route ?? routeLabel(req.url, status);
        const method = (req.method ?? "GET").slice(0, 10);
        metrics.httpDuration.observe({ method, route, status: String(status) }, seconds);
        const line = { reqId: ctx.requestId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10, tenantId: ctx.tenantId };
        if (route === "/_next/*") logger.debug(line, "request");
        else logger.info(line, "request");
      });
      return storage.run(ctx, run);
    },
    async shutdown() {
      await stopOutboxWorker({ graceMs: WORKER_GRACE_MS }).catch((err: unknown) => logger.error({ err }, "stopping the outbox worker failed"));
      await disconnectDb().catch(() => {});
      logger.info("stopped");
      flushLogger();
    },
    log(level, message) {
      logger[level](message);
    },
  };
}

export function installServerHooks(): void {
  (globalThis as typeof globalThis & { __sairaphServer?: ServerHooks }).__sairaphServer = createServerHooks();
}
