// The outbox worker inside the app process (instrumentation.ts), when SAIRAPH_WORKER=on.
// The app server's shutdown (lib/observability/server-hooks.ts) stops it.
import "server-only";
import { getEnv } from "@/lib/env";
import { startOutboxWorker } from "@/lib/outbound/outbox-worker";

export function startAppWorker(): void {
  if (getEnv().SAIRAPH_WORKER !== "on") return;
  startOutboxWorker();
}
