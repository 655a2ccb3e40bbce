import { describe, expect, it } from "vitest";
import { createKeySchema, expiresAtFromChoice } from "@/lib/keys/key-form";

describe("the dashboard's key form", () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);

  it("turns presets into whole days from now and a date into the end of that UTC day", () => {
    expect(expiresAtFromChoice("none", undefined, now)).toBeNull();
    expect(expiresAtFromChoice("1", undefined, now)?.toISOString()).toBe("2026-01-11T12:00:00.000Z");
    expect(expiresAtFromChoice("90", undefined, now)?.toISOString()).toBe("2026-04-10T12:00:00.000Z");
    expect(expiresAtFromChoice("date", "2026-02-01", now)?.toISOString()).toBe("2026-02-01T23:59:59.999Z");
    expect(() => expiresAtFromChoice("date", undefined, now)).toThrow();
    // Dates that do not exist are refused, not rolled over or turned into an invalid Date.
    for (const day of ["2026-02-31", "2026-13-01", "2026-00-10"]) expect(() => expiresAtFromChoice("date", day, now), day).toThrow(/exists/);
  });

  it("defaults requests per minute to 600 and refuses unknown roles and expiries", () => {
    expect(createKeySchema.parse({ kind: "tenant", expiry: "none" })).toMatchObject({ requestsPerMinute: 600 });
    expect(createKeySchema.safeParse({ kind: "mailbox", mailboxId: "m", role: "admin", expiry: "none" }).success).toBe(false);
    expect(createKeySchema.safeParse({ kind: "tenant", expiry: "14" }).success).toBe(false);
    expect(createKeySchema.safeParse({ kind: "tenant", expiry: "none", requestsPerMinute: 0 }).success).toBe(false);
    expect(createKeySchema.safeParse({ kind: "tenant", expiry: "none", name: "a\u0000b" }).success).toBe(false);
  });
});
