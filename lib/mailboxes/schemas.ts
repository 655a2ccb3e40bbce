// One zod schema per request: it validates, types, feeds OpenAPI and the MCP tools.
import { z } from "zod";
import { paginationQuery } from "@/lib/pagination";

// Postgres text cannot hold NUL (a 500 before this check), and a display name ends
// up in the From header: control characters are refused, never stripped.
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
export const plainText = (max: number) => z.string().max(max).regex(NO_CONTROL_CHARS, "must not contain control characters");

export const createMailboxBody = z
  .object({
    localPart: z.string().min(1).max(64).describe("The part before @, e.g. alice"),
    domain: z.string().min(1).max(253).optional().describe("A domain of the tenant; defaults to its first custom domain, else its dev domain"),
    displayName: plainText(200).nullish(),
    clientRef: plainText(200).min(1).nullish().describe("Your own customer id; unique per tenant"),
  })
  .strict();

export const mailboxLimits = z
  .object({
    sendPerMinute: z.number().int().min(0).optional(),
    sendPerDay: z.number().int().min(0).optional(),
  })
  .strict();

export const updateMailboxBody = z
  .object({
    displayName: plainText(200).nullable().optional(),
    status: z.enum(["active", "suspended"]).optional().describe("Only a management key (sm_mgmt_) may change it"),
    limits: mailboxLimits.optional(),
    sendPolicy: z
      .enum(["open", "approval", "approval_new_recipients"])
      .optional()
      .describe("open (default); approval: every send waits for a person; approval_new_recipients: a send to an address this mailbox never exchanged mail with waits"),
  })
  .strict();

export const listMailboxesQuery = paginationQuery.extend({
  q: plainText(200).optional().describe("Matches address, display name or clientRef"),
  clientRef: plainText(200).optional(),
  status: z.enum(["active", "suspended"]).optional(),
});

export const mailboxDto = z.object({
  id: z.string(),
  address: z.string(),
  localPart: z.string(),
  domain: z.string(),
  displayName: z.string().nullable(),
  clientRef: z.string().nullable(),
  status: z.enum(["active", "suspended", "deleted"]),
  limits: z.object({ sendPerMinute: z.number().int(), sendPerDay: z.number().int() }),
  sendPolicy: z.enum(["open", "approval", "approval_new_recipients"]).describe("Whether sends wait for approval (SPEC §13)"),
  createdAt: z.string(),
});

export type MailboxDto = z.infer<typeof mailboxDto>;

type MailboxRow = {
  id: string;
  address: string;
  localPart: string;
  displayName: string | null;
  clientRef: string | null;
  status: "active" | "suspended" | "deleted";
  sendPerMinute: number;
  sendPerDay: number;
  sendPolicy: "open" | "approval" | "approval_new_recipients";
  createdAt: Date;
};

export function toMailboxDto(row: MailboxRow): MailboxDto {
  return {
    id: row.id,
    address: row.address,
    localPart: row.localPart,
    domain: row.address.slice(row.address.indexOf("@") + 1),
    displayName: row.displayName,
    clientRef: row.clientRef,
    status: row.status,
    limits: { sendPerMinute: row.sendPerMinute, sendPerDay: row.sendPerDay },
    sendPolicy: row.sendPolicy,
    createdAt: row.createdAt.toISOString(),
  };
}
