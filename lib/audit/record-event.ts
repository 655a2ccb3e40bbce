import "server-only";
import type { Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Who did it: a signed-in member, the operator CLI, an API key, or the system itself. */
export type Actor =
  | { type: "user"; id: string; label: string; ip?: string | null }
  | { type: "cli"; label?: string }
  | { type: "key"; id: string; label: string; via?: "mcp" }
  | { type: "system"; label?: string };

export type AuditInput = {
  tenantId: string;
  actor: Actor;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Prisma.InputJsonValue;
};

/** A key acting through the MCP server leaves `via: "mcp"` in the event; nothing else differs from REST. */
function withVia(metadata: Prisma.InputJsonValue, actor: Actor): Prisma.InputJsonValue {
  if (actor.type !== "key" || !actor.via) return metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return metadata;
  return { ...(metadata as Record<string, Prisma.InputJsonValue>), via: actor.via };
}

export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  const { actor } = input;
  await tx.auditEvent.create({
    data: {
      id: uuidv7(),
      tenantId: input.tenantId,
      actorType: actor.type,
      actorId: "id" in actor ? actor.id : null,
      actorLabel: actor.label ?? actor.type,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      metadata: withVia(input.metadata ?? {}, actor),
      ip: actor.type === "user" ? (actor.ip ?? null) : null,
    },
  });
}
