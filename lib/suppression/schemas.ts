// One zod schema per request: it validates, types, feeds OpenAPI and the MCP tools.
import { z } from "zod";
import { paginationQuery } from "@/lib/pagination";
import { HEADER_BREAK_RE, isValidAddress } from "@/lib/outbound/addresses";

export const suppressionReason = z.enum(["bounce", "complaint", "manual"]);

export const suppressedAddress = z
  .string()
  .max(254)
  .refine((v) => !HEADER_BREAK_RE.test(v) && isValidAddress(v.trim()), "must be an email address such as a@example.com")
  .describe("A bare address (no display name); matched case-insensitively");

export const addSuppressionBody = z
  .object({
    address: suppressedAddress,
    reason: suppressionReason.default("manual"),
  })
  .strict();

export const listSuppressionsQuery = paginationQuery;

export const suppressionDto = z.object({
  address: z.string(),
  reason: suppressionReason,
  messageId: z.string().optional(),
  createdAt: z.string(),
});

export type SuppressionDto = z.infer<typeof suppressionDto>;

/** The {address} path segment: URL-encoded by the caller; decoded once if the router has not. */
export function decodeAddressParam(raw: string): string {
  let value = raw;
  if (!value.includes("@") && /%[0-9A-Fa-f]{2}/.test(value)) {
    try {
      value = decodeURIComponent(value);
    } catch {
      // not valid percent-encoding: validated as is below
    }
  }
  return suppressedAddress.parse(value).trim();
}
