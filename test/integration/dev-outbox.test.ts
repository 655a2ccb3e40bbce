// The dev outbox lists metadata only: it never reads message bodies (up to 25 MB each).
import { describe, expect, it, vi } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { listDevOutbox } from "@/lib/outbound/list-dev-outbox";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

describe("dev outbox", () => {
  it("lists sent mail without loading bodies", async () => {
    const world = await createTestWorld();
    const res = await call(messages.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "Listed", text: "x".repeat(100_000) },
    });
    expect(res.status).toBe(202);
    const findMany = vi.spyOn(getDb().message, "findMany");
    try {
      const outbox = await listDevOutbox({ tenantId: world.tenant.id, limit: 10 });
      expect(outbox.data).toMatchObject([{ id: res.json.id, subject: "Listed", status: "queued" }]);
      expect(findMany).toHaveBeenCalledTimes(1);
      const select = (findMany.mock.calls[0][0] as { select?: Record<string, boolean> }).select;
      expect(select).toBeDefined();
      expect(select!.bodyCipher).toBeFalsy();
    } finally {
      findMany.mockRestore();
    }
  });
});
