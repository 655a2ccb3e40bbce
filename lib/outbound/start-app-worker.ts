// The outbox worker inside the app process (instrumentation.ts), when SAIRAPH_WORKER=on.
import "server-only";
import { getEnv } from "@/lib/env";
import { startOutboxWorker, stopOutboxWorker } from "@/lib/outbound/outbox-worker";

export function startAppWorker(): void {
  if (getEnv().SAIRAPH_WORKER !== "on") return;
  startOutboxWorker();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      // Finish the jobs in hand; Next.js's own handler (if any) exits the process.
      void stopOutboxWorker().finally(() => {
        if (process.listenerCount(signal) === 0) process.exit(0);
      });
    });
  }
}
