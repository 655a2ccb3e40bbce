import type { Actor } from "@/lib/audit/record-event";
import type { Principal } from "@/lib/keys/authenticate-key";

/** via: "mcp" when the key acts through the MCP server (recorded in the audit event). */
export function keyActor(principal: Principal, via?: "mcp"): Actor {
  return { type: "key", id: principal.keyId, label: `${principal.prefix}…${principal.last4}`, ...(via ? { via } : {}) };
}
