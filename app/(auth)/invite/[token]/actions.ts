"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { CredentialsSignin } from "next-auth";
import { ZodError } from "zod";
import { signIn, signOut } from "@/lib/auth/auth";
import { ACTIVE_TENANT_COOKIE, loadSession, setActiveTenantCookie } from "@/lib/auth/resolve-session";
import { clientIp } from "@/lib/auth/sign-in-throttle";
import { acceptInvitation, signUpWithInvitation } from "@/lib/members/accept-invitation";
import { ApiError } from "@/lib/errors";

export type InviteState = { error: string | null };

// Accept as the signed-in user (whose address must be the invited one).
export async function acceptInvitationAction(_previous: InviteState, form: FormData): Promise<InviteState> {
  const resolution = await loadSession();
  if (resolution.status === "signed_out") return { error: "Your session has ended. Sign in again." };
  const userId = resolution.status === "ok" ? resolution.context.user.id : resolution.user.id;
  let tenantId: string;
  try {
    ({ tenantId } = await acceptInvitation({ token: String(form.get("token") ?? ""), userId, ip: clientIp(await headers()) }));
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    throw err;
  }
  await setActiveTenantCookie(tenantId);
  redirect("/overview");
}

// Create the account of the invited address through the link, join, and sign in.
export async function signUpWithInvitationAction(_previous: InviteState, form: FormData): Promise<InviteState> {
  const password = String(form.get("password") ?? "");
  let joined;
  try {
    joined = await signUpWithInvitation({
      token: String(form.get("token") ?? ""),
      name: String(form.get("name") ?? ""),
      password,
      ip: clientIp(await headers()),
    });
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    if (err instanceof ZodError) return { error: `Password: ${err.issues[0].message}` };
    throw err;
  }
  await setActiveTenantCookie(joined.tenantId);
  try {
    await signIn("credentials", { email: joined.email, password, redirectTo: "/overview" });
  } catch (err) {
    if (err instanceof CredentialsSignin) {
      return { error: "You have joined, but signing in failed. Sign in from the sign-in page in a few minutes." };
    }
    throw err;
  }
  return { error: null };
}

// Signed in with another address: sign out, then come back to this link.
export async function signOutForInvitationAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  (await cookies()).delete(ACTIVE_TENANT_COOKIE);
  await signOut({ redirectTo: token.length === 43 && /^[A-Za-z0-9_-]{43}$/.test(token) ? `/invite/${token}` : "/sign-in" });
}
