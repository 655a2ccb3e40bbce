// Cursor pagination (SPEC §3): ?limit=1..100 (default 25) &cursor=…, newest first.
// Ids are UUIDv7, so "id < cursor" is stable while new rows arrive.
import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

// Strict: an unknown or misspelt parameter (?unraed=true) is a 400, not silently ignored.
export const paginationQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().optional(),
  })
  .strict();

export function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!isUuid(id)) {
    throw new ApiError("validation_error", "The cursor is invalid", { details: [{ path: "cursor", message: "invalid cursor" }] });
  }
  return id;
}

/** Takes limit+1 rows, returns a page and the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].id) : null };
}
