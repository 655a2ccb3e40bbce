"use server";

import { redirect } from "next/navigation";
import { ApiError } from "@/lib/errors";
import { loadSession, setActiveTenantCookie } from "@/lib/auth/resolve-session";
import { createOwnTenant } from "@/lib/auth/sign-up";

export type NewTenantState = { error: string | null };

// A signed-in user creates a tenant they own, and switches to it.
export async function createTenantAction(_previous: NewTenantState, form: FormData): Promise<NewTenantState> {
  const resolution = await loadSession();
  if (resolution.status === "signed_out") redirect("/sign-in");
  const user = resolution.status === "ok" ? resolution.context.user : resolution.user;
  const ip = resolution.status === "ok" ? resolution.context.actor.ip : null;
  let tenantId: string;
  try {
    const tenant = await createOwnTenant({ userId: user.id, email: user.email, name: String(form.get("name") ?? ""), ip });
    tenantId = tenant.id;
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    throw err;
  }
  await setActiveTenantCookie(tenantId);
  redirect("/overview");
}
