// Query and page schemas of the event routes (SPEC §12), shared by the routes and the route table.
import { z } from "zod";
import { eventDto } from "@/lib/events/types";

export const eventIdString = z.string().regex(/^\d{1,18}$/, "must be an event id (digits)");

export const eventsQuery = z
  .object({
    after: eventIdString.optional().describe("Events after this id (0: everything still kept); a stream without it starts with the next event"),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe("JSON pages only"),
  })
  .strict();

export const eventPageDto = z.object({
  data: z.array(eventDto),
  nextAfter: z.string().describe("Pass as ?after= for the next page (the last id returned, or the same after when none)"),
  hasMore: z.boolean(),
});
