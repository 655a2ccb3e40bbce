// The embedded Postgres: PGlite kept in the data folder and served on a loopback
// socket, so the app, the CLI and the tests all speak the ordinary wire protocol.
import "server-only";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { keepProtocolBatchesTogether } from "@/lib/db/pglite-queue-fix";

export type EmbeddedServer = { url: string; port: number; stop(): Promise<void> };

const STATE_FILE = "embedded-db.json";

export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** Starts PGlite on `${dataDir}/pgdata` and serves it on 127.0.0.1. Only one process may own the files. */
export async function startEmbeddedServer(dataDir: string, preferredPort = 0): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(path.join(dataDir, "pgdata"));
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: preferredPort, maxConnections: 100 });
  keepProtocolBatchesTogether(server);
  try {
    await server.start();
  } catch {
    // The preferred port is taken: any free port will do, the state file says which.
    const fallback = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 100 });
    keepProtocolBatchesTogether(fallback);
    await fallback.start();
    return register(dataDir, db, fallback);
  }
  return register(dataDir, db, server);
}

function register(dataDir: string, db: PGlite, server: PGLiteSocketServer): EmbeddedServer {
  const port = Number(server.getServerConn().split(":").pop());
  const stateFile = path.join(dataDir, STATE_FILE);
  writeFileSync(stateFile, JSON.stringify({ port, pid: process.pid }), { mode: 0o600 });
  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (readState(dataDir)?.pid === process.pid) rmSync(stateFile, { force: true });
    },
  };
}

function readState(dataDir: string): { port: number; pid: number } | null {
  const stateFile = path.join(dataDir, STATE_FILE);
  if (!existsSync(stateFile)) return null;
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as { port: number; pid: number };
  } catch {
    return null;
  }
}

/** The URL of an embedded server another process (the running app) already serves, if any. */
export async function findRunningEmbeddedServer(dataDir: string): Promise<string | null> {
  const state = readState(dataDir);
  if (!state || !isAlive(state.pid)) return null;
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: state.port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
  return reachable ? embeddedUrl(state.port) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Synchronous lookup for the app process, which runs beside the launcher that owns the server. */
export function runningEmbeddedUrlSync(dataDir: string): string | null {
  const state = readState(dataDir);
  return state && isAlive(state.pid) ? embeddedUrl(state.port) : null;
}
