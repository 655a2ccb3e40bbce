"use server";

import { CredentialsSignin } from "next-auth";
import { ZodError } from "zod";
import { signIn } from "@/lib/auth/auth";
import { signUp } from "@/lib/auth/sign-up";
import { ApiError } from "@/lib/errors";

export type SignUpState = {
  error: string | null;
  /** Set once submitted: the address the verification link went to. */
  sentTo: string | null;
  values: { name: string; email: string; tenantName: string };
};

// Create the account and its first tenant, then ask to verify the address. The answer
// is the same whether or not the address already had an account.
export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    tenantName: String(form.get("tenantName") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  let result;
  try {
    result = await signUp({ ...values, password });
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message, sentTo: null, values };
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      const field = { name: "Name", email: "Email", password: "Password", tenantName: "Organisation" }[String(issue.path[0])];
      return { error: field ? `${field}: ${issue.message}` : issue.message, sentTo: null, values };
    }
    throw err;
  }
  if (!result.signInNow) return { error: null, sentTo: result.email, values };
  try {
    await signIn("credentials", { email: result.email, password, redirectTo: "/overview" });
  } catch (err) {
    // The account exists now; if signing in is refused (a throttled network), say so.
    if (err instanceof CredentialsSignin) {
      return { error: "Your account was created, but signing in failed. Try again from the sign-in page in a few minutes.", sentTo: null, values };
    }
    throw err;
  }
  return { error: null, sentTo: null, values };
}
