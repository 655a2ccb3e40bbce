// The dashboard's key form: mailbox + role + expiry + requests per minute.
import "server-only";
import { z } from "zod";
import { DEFAULT_REQUESTS_PER_MINUTE, EXPIRY_PRESETS_DAYS, KEY_ROLES, MAX_REQUESTS_PER_MINUTE } from "@/lib/keys/issue-key";

export const EXPIRY_CHOICES = ["none", ...EXPIRY_PRESETS_DAYS.map(String), "date"] as const;

const common = {
  name: z.string().trim().max(100).regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters").optional(),
  expiry: z.enum(EXPIRY_CHOICES),
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date")
    .optional()
    .or(z.literal("")),
  requestsPerMinute: z.coerce
    .number()
    .int("Requests per minute must be a whole number")
    .min(1)
    .max(MAX_REQUESTS_PER_MINUTE)
    .default(DEFAULT_REQUESTS_PER_MINUTE),
};

export const createKeySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("mailbox"), mailboxId: z.string().min(1, "Choose a mailbox"), role: z.enum(KEY_ROLES), ...common }),
  z.object({ kind: z.literal("tenant"), ...common }),
]);

export type CreateKeyInput = z.input<typeof createKeySchema>;

/** A preset counts whole days from now; a date means "valid through that day" (UTC). */
export function expiresAtFromChoice(expiry: (typeof EXPIRY_CHOICES)[number], expiresOn: string | undefined, now = Date.now()): Date | null {
  if (expiry === "none") return null;
  if (expiry === "date") {
    if (!expiresOn) throw new z.ZodError([{ code: "custom", path: ["expiresOn"], message: "Pick a date", input: expiresOn }]);
    const end = new Date(`${expiresOn}T23:59:59.999Z`);
    // "2026-02-31" would roll over to March 3rd and "2026-13-01" is no date at all.
    if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== expiresOn) {
      throw new z.ZodError([{ code: "custom", path: ["expiresOn"], message: "Pick a date that exists", input: expiresOn }]);
    }
    return end;
  }
  return new Date(now + Number(expiry) * 86_400_000);
}
