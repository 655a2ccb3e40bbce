import Link from "next/link";
import { verifyEmailAction } from "./actions";
import { FormError, FormNotice } from "@/components/ui/form-message";
import { cardClass, primaryButtonClass } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Verify your email · Sairaph Mail" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string; done?: string; failed?: string }> }) {
  const { token, done, failed } = await searchParams;
  return (
    <section className={cardClass}>
      <h1 className="mb-4 text-xl font-semibold">Verify your email address</h1>
      {done ? (
        <div className="flex flex-col gap-3">
          <FormNotice message="Your address is verified." />
          <Link href="/overview" className="text-sm font-medium underline">
            Continue to your dashboard
          </Link>
        </div>
      ) : failed || typeof token !== "string" || token === "" ? (
        <div className="flex flex-col gap-3">
          <FormError message="This link is not valid: it was used already, has expired, or is incomplete. Sign in and ask for a new one on your account page." />
          <Link href="/sign-in" className="text-sm font-medium underline">
            Sign in
          </Link>
        </div>
      ) : (
        <form action={verifyEmailAction} className="flex flex-col gap-3">
          <input type="hidden" name="token" value={token} />
          <p className="text-sm text-slate-600">Confirm that this address is yours.</p>
          <button type="submit" className={primaryButtonClass}>
            Verify my address
          </button>
        </form>
      )}
    </section>
  );
}
