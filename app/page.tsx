import Link from "next/link";
import { Brand } from "@/components/brand";

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-6 py-24">
      <h1 className="text-3xl">
        <Brand />
      </h1>
      <p className="text-slate-600">
        Real mailboxes on your own domain for every customer&apos;s AI agent, with keys scoped to one mailbox.
      </p>
      <div className="flex gap-3">
        <Link className="rounded bg-slate-900 px-4 py-2 text-white" href="/sign-in">
          Sign in
        </Link>
        <Link className="rounded border border-slate-300 px-4 py-2" href="/sign-up">
          Create an account
        </Link>
      </div>
    </main>
  );
}
