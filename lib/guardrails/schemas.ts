// Request and response schemas of the guardrail routes (SPEC §13); the route table uses them.
import { z } from "zod";
import { isValidAddress } from "@/lib/outbound/addresses";
import { paginationQuery } from "@/lib/pagination";

export const tenantDto = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  sending: z.enum(["active", "paused"]),
  sendingPausedAt: z.string().nullable(),
});

export const updateTenantBody = z.strictObject({ sending: z.enum(["active", "paused"]) });

export const LIST_DIRECTIONS = ["send", "receive"] as const;
export const LIST_KINDS = ["allow", "block"] as const;
export type ListDirection = (typeof LIST_DIRECTIONS)[number];
export type ListKind = (typeof LIST_KINDS)[number];

const DOMAIN_PART_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An address or "@domain", lowercased (lists match case-insensitively). */
export const listEntryValue = z
  .string()
  .max(254)
  .transform((v) => v.trim().toLowerCase())
  .refine(
    (v) => (v.startsWith("@") ? v.length <= 254 && DOMAIN_PART_RE.test(v.slice(1)) : isValidAddress(v)),
    "must be an email address such as bob@x.test or a domain such as @x.test",
  )
  .describe("An address (bob@x.test) or a whole domain (@x.test); matched case-insensitively");

export const addListEntryBody = z.strictObject({ entry: listEntryValue });

export const listEntriesQuery = paginationQuery;

export const listEntryDto = z.object({ entry: z.string(), direction: z.enum(LIST_DIRECTIONS), kind: z.enum(LIST_KINDS), createdAt: z.string() });
export type ListEntryDto = z.infer<typeof listEntryDto>;
