import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { checkHealth } from "@/lib/health/check-health";
import { setupTestDatabase } from "@/test/helpers/db";

setupTestDatabase();

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    // SPEC §3: every response has x-request-id, the health check included.
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("reports the database unreachable when nothing listens at its address", async () => {
    // Port 9 (discard) has no Postgres on this machine: connections are refused.
    const unreachable = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://postgres@127.0.0.1:9/none" }) });
    const health = await checkHealth({ db: unreachable });
    expect(health).toMatchObject({ status: "degraded", database: "unreachable" });
    await unreachable.$disconnect();
  });
});
