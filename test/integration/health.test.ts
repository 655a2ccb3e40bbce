import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { checkHealth } from "@/lib/health/check-health";
import { setupTestDatabase } from "@/test/helpers/db";

setupTestDatabase();

describe("GET /api/health", () => {
  it("answers 200 when the database is reachable", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("reports the database unreachable when a query cannot finish", async () => {
    const health = await checkHealth(0);
    expect(health).toMatchObject({ status: "degraded", database: "unreachable" });
  });
});
