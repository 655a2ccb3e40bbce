"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth/auth";
import { ACTIVE_TENANT_COOKIE, loadSession, setActiveTenantCookie } from "@/lib/auth/resolve-session";

// Switch the active tenant; only a tenant the user is a member of is accepted.
export async function switchTenantAction(form: FormData): Promise<void> {
  const tenantId = String(form.get("tenantId") ?? "");
  const resolution = await loadSession();
  if (resolution.status === "signed_out") redirect("/sign-in");
  if (resolution.status === "ok" && resolution.context.memberships.some((m) => m.tenantId === tenantId)) {
    await setActiveTenantCookie(tenantId);
  }
  redirect("/overview");
}

export async function signOutAction(): Promise<void> {
  (await cookies()).delete(ACTIVE_TENANT_COOKIE);
  await signOut({ redirectTo: "/sign-in" });
}
