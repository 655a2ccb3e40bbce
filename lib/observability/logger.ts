// The structured log (pino): one JSON line per request and per job, human-readable
// (pino-pretty) when stdout is a terminal. Log ids, routes, statuses and durations:
// never a key, an address, a subject or a body (the redact list is a second guard).
import "server-only";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { getEnv } from "@/lib/env";

const holder = globalThis as typeof globalThis & { __sairaphLogger?: Logger };

const REDACT = ["authorization", "key", "secret", "password", "email", "address", "to", "from", "cc", "bcc", "subject", "text", "html", "body"];

export function getLogger(): Logger {
  holder.__sairaphLogger ??= createLogger();
  return holder.__sairaphLogger;
}

function createLogger(): Logger {
  const options = {
    level: getEnv().SAIRAPH_LOG_LEVEL,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: "[redacted]" },
  };
  if (process.stdout.isTTY) {
    return pino(options, pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" }));
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** Writes what is buffered (shutdown). */
export function flushLogger(): void {
  try {
    holder.__sairaphLogger?.flush();
  } catch {
    // stdout already gone
  }
}
