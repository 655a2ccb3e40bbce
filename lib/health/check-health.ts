import "server-only";
import { getDb, type Db } from "@/lib/db";

export type Health = { status: "ok" | "degraded"; database: "ok" | "unreachable"; time: string };

export async function checkHealth({ db = getDb(), timeoutMs = 2000 }: { db?: Db; timeoutMs?: number } = {}): Promise<Health> {
  const time = new Date().toISOString();
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database check timed out")), timeoutMs);
    });
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]).finally(() => clearTimeout(timer));
    return { status: "ok", database: "ok", time };
  } catch (err) {
    console.error(`[health] database unreachable: ${err instanceof Error ? err.message : String(err)}`);
    return { status: "degraded", database: "unreachable", time };
  }
}
