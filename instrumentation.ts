// Next.js calls register() once per server process. In the Node.js runtime it hands
// the app server (scripts/serve.mjs) its request and shutdown hooks, and starts the
// outbox worker (NEXT_RUNTIME is set by Next itself, which is why it is read here
// rather than through lib/env.ts, which the edge runtime cannot load).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installServerHooks } = await import("@/lib/observability/server-hooks");
  installServerHooks();
  const { startAppWorker } = await import("@/lib/outbound/start-app-worker");
  startAppWorker();
}
