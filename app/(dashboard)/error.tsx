"use client";

import Link from "next/link";
import { cardClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";

// Shown when a dashboard page fails to render; the cause is logged on the server.
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className={`${cardClass} max-w-xl`} role="alert">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">
        Something went wrong on our side. Try again; if it keeps failing, the server log has the details
        {error.digest ? (
          <>
            {" "}
            under reference <code className="rounded bg-slate-100 px-1">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="button" className={primaryButtonClass} onClick={reset}>
          Try again
        </button>
        <Link href="/overview" className={secondaryButtonClass}>
          Go to the overview
        </Link>
      </div>
    </section>
  );
}
