import type { Actor } from "@/lib/audit/record-event";
import type { Principal } from "@/lib/keys/authenticate-key";

export function keyActor(principal: Principal): Actor {
  return { type: "key", id: principal.keyId, label: `${principal.prefix}…${principal.last4}` };
}
