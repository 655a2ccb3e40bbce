"use server";

import { CredentialsSignin } from "next-auth";
import { ZodError } from "zod";
import { signIn } from "@/lib/auth/auth";
import { signUp } from "@/lib/auth/sign-up";
import { ApiError } from "@/lib/errors";

export type SignUpState = { error: string | null; values: { name: string; email: string; tenantName: string } };

// Create the account and its first tenant (owned by the new user), then sign in.
export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    tenantName: String(form.get("tenantName") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  try {
    await signUp({ ...values, password });
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message, values };
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      const field = { name: "Name", email: "Email", password: "Password", tenantName: "Organisation" }[String(issue.path[0])];
      return { error: field ? `${field}: ${issue.message}` : issue.message, values };
    }
    throw err;
  }
  try {
    await signIn("credentials", { email: values.email, password, redirectTo: "/overview" });
  } catch (err) {
    // The account exists now; if signing in is refused (a throttled network), say so.
    if (err instanceof CredentialsSignin) {
      return { error: "Your account was created, but signing in failed. Try again from the sign-in page in a few minutes.", values };
    }
    throw err;
  }
  return { error: null, values };
}
