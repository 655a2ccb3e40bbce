"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function MailboxTabs({ mailboxId }: { mailboxId: string }) {
  const pathname = usePathname();
  const base = `/mailboxes/${mailboxId}`;
  const tabs = [
    { href: base, label: "Mail" },
    { href: `${base}/drafts`, label: "Drafts" },
    { href: `${base}/usage`, label: "Usage" },
    { href: `${base}/suppressions`, label: "Suppressions" },
    { href: `${base}/settings`, label: "Settings & keys" },
  ];
  return (
    <nav aria-label="Mailbox" className="mb-6 overflow-x-auto border-b border-slate-200">
      <ul className="flex gap-1 whitespace-nowrap">
        {tabs.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm ${active ? "border-slate-900 font-medium text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
