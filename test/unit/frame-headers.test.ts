// Dashboard pages refuse to be framed by another site (clickjacking).
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";

describe("framing headers", () => {
  it("every page answers with frame-ancestors 'none' and X-Frame-Options: DENY", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const all = rules.find((r) => r.source === "/:path*");
    expect(all?.headers).toEqual(
      expect.arrayContaining([
        { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        { key: "X-Frame-Options", value: "DENY" },
      ]),
    );
  });
});
