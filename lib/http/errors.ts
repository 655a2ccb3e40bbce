// The HTTP edge of lib/errors.ts: each error code's status, and the one function
// that turns anything thrown into the SPEC §3 body. REST responses (errorResponse)
// and the dashboard's action results (with-session.ts) both go through errorBody.
import { ZodError } from "zod";
import { ApiError, isNotFoundError, validationError, type ErrorCode } from "@/lib/errors";

export const ERROR_STATUS = {
  validation_error: 400,
  invalid_idempotency_key: 400,
  unauthorized: 401,
  key_expired: 401,
  key_revoked: 401,
  forbidden: 403,
  mailbox_suspended: 403,
  sending_paused: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_progress: 409,
  not_pending_approval: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  recipient_suppressed: 422,
  recipient_not_allowed: 422,
  idempotency_conflict: 422,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  service_unavailable: 503,
} as const satisfies Record<ErrorCode, number>;

export type ErrorBody = {
  error: { code: ErrorCode; message: string; requestId: string; [extra: string]: unknown };
};

/**
 * Anything thrown, as the SPEC §3 body with its status and headers: an ApiError as
 * it is, a zod error as validation_error with details, Prisma's "not found" as
 * not_found, anything else as a generic internal_error that logs its cause and leaks nothing.
 */
export function errorBody(err: unknown, requestId: string): { status: number; headers: Record<string, string>; body: ErrorBody } {
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof ZodError) apiError = validationError(err);
  else if (isNotFoundError(err)) apiError = new ApiError("not_found", "Not found");
  else {
    console.error(`[${requestId}] unhandled error`, err);
    apiError = new ApiError("internal_error", "Something went wrong on our side");
  }
  return {
    status: ERROR_STATUS[apiError.code],
    headers: apiError.headers,
    body: { error: { code: apiError.code, message: apiError.message, requestId, ...apiError.extra } },
  };
}

/** The REST answer for anything thrown. */
export function errorResponse(err: unknown, requestId: string): Response {
  const { status, headers, body } = errorBody(err, requestId);
  return Response.json(body, { status, headers: { ...headers, "x-request-id": requestId } });
}
