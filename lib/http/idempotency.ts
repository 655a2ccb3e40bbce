// The Idempotency-Key header (SPEC §3); the records it keys are lib/idempotency/.
import { ApiError } from "@/lib/errors";

const KEY_RE = /^[\x20-\x7e]{1,255}$/;

/** The Idempotency-Key header: absent → null; 1–255 printable ASCII characters, else 400. */
export function readIdempotencyKey(req: Request): string | null {
  const value = req.headers.get("idempotency-key");
  if (value === null) return null;
  if (!KEY_RE.test(value) || value.trim() === "") {
    throw new ApiError("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
  }
  return value;
}
