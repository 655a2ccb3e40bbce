// The one error type domain code throws (STYLE.md: one error type, one JSON shape).
// It knows codes, messages and details, not HTTP: lib/http/errors.ts maps a code to a
// status and turns any error into the SPEC §3 body, for REST and the dashboard alike.
// No "server-only": the CLI and client components also recognise it.
import { ZodError } from "zod";

export const ERROR_CODES = [
  "validation_error",
  "invalid_idempotency_key",
  "unauthorized",
  "key_expired",
  "key_revoked",
  "forbidden",
  "mailbox_suspended",
  "sending_paused",
  "not_found",
  "method_not_allowed",
  "conflict",
  "idempotency_in_progress",
  "not_pending_approval",
  "payload_too_large",
  "unsupported_media_type",
  "recipient_suppressed",
  "recipient_not_allowed",
  "idempotency_conflict",
  "rate_limited",
  "internal_error",
  "provider_error",
  "service_unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields of the error body, e.g. `details` or `recipients`. */
    readonly extra: Record<string, unknown> = {},
    /** Hints the caller should see beside the body, e.g. Retry-After or Allow. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export function validationError(error: ZodError, message = "The request is invalid"): ApiError {
  return new ApiError("validation_error", message, { details: zodDetails(error) });
}

/** Prisma's "record to update or delete does not exist". */
export function isNotFoundError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2025";
}

/** A unique-constraint violation: Prisma's P2002, or SQLSTATE 23505 from a raw statement (Prisma's P2010 or pg). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  if (e.code === "P2002" || e.code === "23505") return true;
  return e.code === "P2010" && e.meta?.driverAdapterError?.cause?.originalCode === "23505";
}
