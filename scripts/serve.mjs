// The app server `npm start` runs (scripts/start.ts spawns it): Next.js's request
// handler on node:http, so a stop is graceful. SIGTERM or SIGINT (or the launcher
// going away) stops accepting connections, lets the requests in flight finish (at
// most 10 s), runs the app's shutdown (instrumentation.ts: the outbox worker stops
// and releases its leases, the database pool closes), then exits 0.
// Plain JavaScript without the react-server condition: it only hosts Next.js, whose
// own module graphs load the app. The app reaches it through globalThis.__sairaphServer.
//   node scripts/serve.mjs --port 3000 [--dev]
import http from "node:http";
import next from "next";

const DRAIN_MS = 10_000;
const args = process.argv.slice(2);
const dev = args.includes("--dev");
const portIndex = args.indexOf("--port");
const port = Number(portIndex >= 0 ? args[portIndex + 1] : 3000);

const app = next({ dev, dir: process.cwd(), port });
const handle = app.getRequestHandler();

/** The app's hooks, installed by instrumentation.ts: per-request context and logging, shutdown. */
function hooks() {
  return globalThis.__sairaphServer ?? {};
}

let closing = false;
const inFlight = new Set();
const server = http.createServer((req, res) => {
  inFlight.add(res);
  res.once("close", () => {
    inFlight.delete(res);
    if (closing && inFlight.size === 0) drained?.();
  });
  // While stopping, answers on kept-alive connections close them.
  if (closing) res.setHeader("connection", "close");
  const run = () => handle(req, res);
  const around = hooks().aroundRequest;
  Promise.resolve(around ? around(req, res, run) : run()).catch((err) => {
    console.error("[sairaph] request failed", err);
    if (!res.headersSent) res.writeHead(500).end();
  });
});

let drained = null;
async function stop(reason) {
  if (closing) return;
  closing = true;
  hooks().log?.("info", `stopping (${reason}): draining ${inFlight.size} request(s)`);
  server.close();
  server.closeIdleConnections();
  if (inFlight.size > 0) {
    await new Promise((resolve) => {
      drained = resolve;
      setTimeout(resolve, DRAIN_MS).unref();
    });
  }
  server.closeAllConnections();
  try {
    await hooks().shutdown?.();
  } catch (err) {
    console.error("[sairaph] shutdown step failed", err);
  }
  await app.close().catch(() => {});
  process.exit(0);
}

process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
// Spawned by the launcher with an IPC channel: if it dies (kill -9), stop too.
process.on("disconnect", () => void stop("launcher gone"));

await app.prepare();
server.listen(port, () => {
  process.send?.({ ready: true });
});
