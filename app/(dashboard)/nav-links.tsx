"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/overview", label: "Overview" },
  { href: "/mailboxes", label: "Mailboxes" },
  { href: "/keys", label: "API keys" },
  { href: "/management-keys", label: "Management keys" },
  { href: "/domains", label: "Domains" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/members", label: "Members" },
  { href: "/approvals", label: "Approvals" },
  { href: "/guardrails", label: "Guardrails" },
  { href: "/quarantine", label: "Quarantine" },
  { href: "/outbox", label: "Dev outbox" },
  { href: "/audit", label: "Audit log" },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {LINKS.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={active ? "page" : undefined}
              className={`block rounded-md px-3 py-2 text-sm ${active ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"}`}
            >
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
