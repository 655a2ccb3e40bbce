import { getPageSession } from "@/lib/http/with-session";
import { hasRole } from "@/lib/auth/roles";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { listMailboxMail } from "@/lib/messages/list-mailbox-mail";
import { getThreadWithDeliveries } from "@/lib/messages/get-thread-with-deliveries";
import { loadMailbox } from "./load-mailbox";
import { MailView } from "./mail-view";

export const metadata = { title: "Mailbox · Sairaph Mail" };

export default async function MailboxMailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ thread?: string | string[] }>;
}) {
  const { id } = await params;
  const { thread } = await searchParams;
  const session = await getPageSession();
  const mailbox = await loadMailbox(session.tenant.id, id);
  const scope = { tenantId: session.tenant.id, mailboxId: mailbox.id };
  const threadId = typeof thread === "string" && isUuid(thread) ? thread : null;
  const [initialList, initialThread] = await Promise.all([
    listMailboxMail({ ...scope, limit: 25 }),
    threadId
      ? getThreadWithDeliveries({ ...scope, id: threadId }).catch((err: unknown) => {
          if (err instanceof ApiError && err.code === "not_found") return null;
          throw err;
        })
      : Promise.resolve(null),
  ]);
  return (
    <MailView
      mailboxId={mailbox.id}
      mailboxAddress={mailbox.address}
      canWrite={hasRole(session.role, "admin")}
      initialList={initialList}
      threadId={threadId}
      initialThread={initialThread}
    />
  );
}
