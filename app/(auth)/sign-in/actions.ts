"use server";

import { CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";

export type SignInState = { error: string | null; email: string };

/** Where to go after signing in: an invitation link (exactly that shape, never elsewhere), else the dashboard. */
function afterSignIn(next: FormDataEntryValue | null): string {
  const value = typeof next === "string" ? next : "";
  return value.length === 51 && /^\/invite\/[A-Za-z0-9_-]{43}$/.test(value) ? value : "/overview";
}

// Sign in with email and password; next-auth redirects to the dashboard on success.
export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", { email, password: String(form.get("password") ?? ""), redirectTo: afterSignIn(form.get("next")) });
    return { error: null, email };
  } catch (err) {
    if (err instanceof CredentialsSignin) {
      const message =
        err.code === "throttled"
          ? "Too many failed sign-ins for this address or from your network. Wait a little, then try again: the wait grows with each failure."
          : "That email and password do not match an account.";
      return { error: message, email };
    }
    throw err;
  }
}

// Sign in with an OAuth provider that is configured on this deployment.
export async function signInWithProvider(form: FormData): Promise<void> {
  const provider = String(form.get("provider") ?? "");
  if (provider !== "github" && provider !== "google") return;
  await signIn(provider, { redirectTo: "/overview" });
}
