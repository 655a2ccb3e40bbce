import Link from "next/link";
import { cardClass } from "@/components/ui/styles";

export default function MailboxNotFound() {
  return (
    <section className={`${cardClass} max-w-xl`}>
      <h1 className="text-lg font-semibold">Mailbox not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        It may have been deleted, or it belongs to another tenant. If you switched tenants, switch back in the menu.
      </p>
      <Link href="/mailboxes" className="mt-4 inline-block text-sm underline">
        ← All mailboxes
      </Link>
    </section>
  );
}
