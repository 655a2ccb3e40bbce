"use client";

// The sidebar: always shown from the md breakpoint up; below it a top bar with a
// menu button that opens it (and closes it again after navigating).
import { useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Brand } from "@/components/brand";

export function DashboardNav({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [openedAt, setOpenedAt] = useState(pathname);
  // Navigating closes the menu (state adjusted during render, not in an effect).
  if (open && openedAt !== pathname) {
    setOpen(false);
    setOpenedAt(pathname);
  }
  return (
    <>
      <div className="flex items-center justify-between bg-slate-900 px-4 py-3 text-white md:hidden">
        <Link href="/overview" aria-label="Sairaph Mail overview">
          <Brand />
        </Link>
        <button
          type="button"
          className="rounded-md border border-slate-600 px-3 py-1.5 text-sm"
          aria-expanded={open}
          aria-controls="dashboard-nav"
          onClick={() => {
            setOpenedAt(pathname);
            setOpen(!open);
          }}
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      <nav
        id="dashboard-nav"
        aria-label="Dashboard"
        className={`${open ? "flex" : "hidden"} w-full shrink-0 flex-col gap-6 bg-slate-900 px-4 py-6 text-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:overflow-y-auto`}
      >
        <Link href="/overview" className="hidden text-lg md:block">
          <Brand />
        </Link>
        {children}
      </nav>
    </>
  );
}
