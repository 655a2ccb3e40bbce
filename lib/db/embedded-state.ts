// Where the running embedded PostgreSQL listens: `embedded-db.json` in the data
// folder, written by the process that started the server (its owner). The app
// server, the CLI, the worker and the tests read it to join that server. No
// process management here, so the app server's bundle stays small.
import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const STATE_FILE = "embedded-db.json";
export const PASSWORD_FILE = "postgres.password";
/** The cluster's folder inside the data folder (PGlite, before, used `pgdata/`). */
export const CLUSTER_DIR = "postgres";

export type EmbeddedState = { port: number; owner: number; postmaster: number };

export function embeddedUrl(port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

export function readEmbeddedState(dataDir: string): EmbeddedState | null {
  const file = path.join(dataDir, STATE_FILE);
  if (!existsSync(file)) return null;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as Partial<EmbeddedState>;
    if (typeof state.port !== "number" || typeof state.owner !== "number" || typeof state.postmaster !== "number") return null;
    return { port: state.port, owner: state.owner, postmaster: state.postmaster };
  } catch {
    return null;
  }
}

export function readEmbeddedPassword(dataDir: string): string | null {
  const file = path.join(dataDir, PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's (the `postgres` user's server, seen by a non-root CLI).
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Synchronous lookup for the app server, which runs beside the launcher that owns the database. */
export function runningEmbeddedUrlSync(dataDir: string): string | null {
  const state = readEmbeddedState(dataDir);
  const password = readEmbeddedPassword(dataDir);
  if (!state || !password || !isAlive(state.owner) || !isAlive(state.postmaster)) return null;
  return embeddedUrl(state.port, password);
}
