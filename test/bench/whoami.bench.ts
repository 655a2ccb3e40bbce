// GET /api/v1/whoami: the cost of the REST auth layer (one indexed query per request).
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import type { Benchmark } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };

const bench: Benchmark = {
  name: "whoami",
  async prepare() {
    const { tenant } = await createTenant({ name: "Bench whoami", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "whoami", actor });
    const { secret } = await issueKey({
      kind: "mailbox",
      tenantId: tenant.id,
      mailboxId: mailbox.id,
      role: "read",
      requestsPerMinute: 100_000,
      actor,
    });
    return [
      // The framework's floor on this machine: a route handler with one trivial query and no auth.
      { title: "GET /api/health (floor)", method: "GET", path: "/api/health" },
      { title: "GET /api/v1/whoami", method: "GET", path: "/api/v1/whoami", headers: { authorization: `Bearer ${secret}` } },
    ];
  },
};

export default bench;
