import "server-only";
import { getDb, type Db } from "@/lib/db";

/** A provider that refused our API key: sending through it waits (messages stay queued) until it is fixed. */
export type ProviderPause = { provider: string; reason: string; since: string };

export type Health = {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  /** "paused" tells the operator that mail is not going out, and why. */
  outbox?: { status: "ok" } | { status: "paused"; paused: ProviderPause[] };
  time: string;
};

export async function checkHealth({ db = getDb(), timeoutMs = 2000 }: { db?: Db; timeoutMs?: number } = {}): Promise<Health> {
  const time = new Date().toISOString();
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database check timed out")), timeoutMs);
    });
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]).finally(() => clearTimeout(timer));
    const pauses = await db.providerState.findMany({
      where: { pausedAt: { not: null } },
      orderBy: { provider: "asc" },
      select: { provider: true, pauseReason: true, pausedAt: true },
    });
    const outbox: Health["outbox"] = pauses.length
      ? { status: "paused", paused: pauses.map((p) => ({ provider: p.provider, reason: p.pauseReason ?? "paused", since: p.pausedAt!.toISOString() })) }
      : { status: "ok" };
    // The app itself is up: a paused outbox is reported, not a reason to take the instance out of rotation.
    return { status: "ok", database: "ok", outbox, time };
  } catch (err) {
    console.error(`[health] database unreachable: ${err instanceof Error ? err.message : String(err)}`);
    return { status: "degraded", database: "unreachable", time };
  }
}
