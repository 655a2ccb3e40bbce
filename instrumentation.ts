// Next.js calls register() once per server process. The outbox worker runs in the
// Node.js runtime only (NEXT_RUNTIME is set by Next itself, which is why it is read
// here rather than through lib/env.ts, which the edge runtime cannot load).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAppWorker } = await import("@/lib/outbound/start-app-worker");
  startAppWorker();
}
