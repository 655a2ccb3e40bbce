import { redirect } from "next/navigation";
import { oauthProviders } from "@/lib/auth/auth";
import { loadSession } from "@/lib/auth/resolve-session";
import { SignInForm } from "./sign-in-form";
import { signInWithProvider } from "./actions";
import { cardClass, secondaryButtonClass } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Sairaph Mail" };

// Errors next-auth reports by redirecting here (OAuth failures, refused links).
const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: "That account could not be used: its email address is missing or not verified.",
  OAuthAccountNotLinked: "That account could not be linked. Sign in with your password first.",
  Configuration: "Sign-in is not available right now. Try again in a moment.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; code?: string; next?: string; email?: string }> }) {
  const { error, code, next, email } = await searchParams;
  const invitation = typeof next === "string" && next.length === 51 && /^\/invite\/[A-Za-z0-9_-]{43}$/.test(next) ? next : undefined;
  // A token whose user no longer exists counts as signed out (no redirect loop).
  if ((await loadSession()).status !== "signed_out") redirect(invitation ?? "/overview");
  const initialError =
    error === "CredentialsSignin"
      ? code === "throttled"
        ? "Too many failed sign-ins for this address or from your network. Wait 15 minutes, then try again."
        : "That email and password do not match an account."
      : error
        ? (ERROR_MESSAGES[error] ?? "Sign-in failed. Try again.")
        : null;
  const providers = oauthProviders();
  return (
    <section className={cardClass}>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      <SignInForm initialError={initialError} next={invitation} email={typeof email === "string" ? email.slice(0, 254) : undefined} />
      {providers.length > 0 && (
        <div className="mt-6 flex flex-col gap-2 border-t border-slate-200 pt-4">
          {providers.map((p) => (
            <form key={p.id} action={signInWithProvider}>
              <input type="hidden" name="provider" value={p.id} />
              <button type="submit" className={`${secondaryButtonClass} w-full`}>
                Continue with {p.name}
              </button>
            </form>
          ))}
        </div>
      )}
    </section>
  );
}
