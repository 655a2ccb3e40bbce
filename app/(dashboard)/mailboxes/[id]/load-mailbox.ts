import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { isUuid } from "@/lib/ids";
import { getMailboxDetails } from "@/lib/mailboxes/get-mailbox-details";

/** The mailbox of the page's URL for this tenant, once per render (layout and page share it); otherwise 404. */
export const loadMailbox = cache(async (tenantId: string, mailboxId: string) => {
  // Another tenant's mailbox id is simply not found.
  const mailbox = isUuid(mailboxId) ? await getMailboxDetails({ tenantId, mailboxId }) : null;
  if (!mailbox) notFound();
  return mailbox;
});
