import Link from "next/link";
import { getPageSession } from "@/lib/http/with-session";
import { QueryProvider } from "@/components/query-provider";
import { NavLinks } from "./nav-links";
import { DashboardNav } from "./dashboard-nav";
import { TenantSwitcher } from "./tenant-switcher";
import { signOutAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await getPageSession();
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <DashboardNav>
        <TenantSwitcher activeTenantId={session.tenant.id} memberships={session.memberships} />
        <NavLinks />
        <div className="mt-auto flex flex-col gap-2 text-sm text-slate-300">
          <p className="truncate" title={session.user.email}>
            {session.user.email}
          </p>
          <p>
            Role: <span data-testid="member-role">{session.role}</span>
          </p>
          <Link href="/account" className="hover:text-white">
            Your account
          </Link>
          <Link href="/new-tenant" className="hover:text-white">
            New tenant
          </Link>
          <form action={signOutAction}>
            <button type="submit" className="hover:text-white">
              Sign out
            </button>
          </form>
        </div>
      </DashboardNav>
      <main className="min-w-0 flex-1 px-4 py-6 sm:px-8 sm:py-8">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
