// One error type and one JSON shape (SPEC §3). Handlers throw ApiError; the
// wrappers turn it, zod errors and unknown errors into the shape below.
import { ZodError } from "zod";

export const ERROR_STATUS = {
  validation_error: 400,
  invalid_idempotency_key: 400,
  unauthorized: 401,
  key_expired: 401,
  key_revoked: 401,
  forbidden: 403,
  mailbox_suspended: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  recipient_suppressed: 422,
  idempotency_conflict: 422,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
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

/** Turns anything thrown into the SPEC error shape; unknown errors log their cause and leak nothing. */
export function errorResponse(err: unknown, requestId: string): Response {
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof ZodError) apiError = validationError(err);
  else if (isPrismaNotFound(err)) apiError = new ApiError("not_found", "Not found");
  else {
    console.error(`[${requestId}] unhandled error`, err);
    apiError = new ApiError("internal_error", "Something went wrong on our side");
  }
  return Response.json(
    { error: { code: apiError.code, message: apiError.message, requestId, ...apiError.extra } },
    { status: apiError.status, headers: { ...apiError.headers, "x-request-id": requestId } },
  );
}

function isPrismaNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2025";
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
