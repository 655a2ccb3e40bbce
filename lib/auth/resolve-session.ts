// Who is signed in to the dashboard: the next-auth session, the active tenant (a
// cookie that is only a preference: it is re-checked against Membership on every
// request) and the member's role. The page, action and route wrappers in
// lib/http/with-session.ts are built on these steps.
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { auth } from "@/lib/auth/auth";
import { clientIp } from "@/lib/auth/sign-in-throttle";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import type { Actor } from "@/lib/audit/record-event";
import { requireRole } from "@/lib/auth/roles";
import type { MemberRole } from "@/lib/generated/prisma/enums";

export const ACTIVE_TENANT_COOKIE = "sairaph_tenant";

/** Remembers the active tenant: only a preference, re-checked against Membership on every request. */
export async function setActiveTenantCookie(tenantId: string): Promise<void> {
  (await cookies()).set(ACTIVE_TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: getEnv().SAIRAPH_PUBLIC_URL.startsWith("https:"),
    maxAge: 365 * 24 * 60 * 60,
  });
}

export type SessionContext = {
  user: { id: string; email: string; name: string | null; emailVerified: boolean };
  /** When this session signed in (ms since the epoch); null for tokens issued before it was recorded. */
  signedInAt: number | null;
  tenant: { id: string; name: string; region: string };
  role: MemberRole;
  memberships: { tenantId: string; tenantName: string; role: MemberRole }[];
  actor: Extract<Actor, { type: "user" }>;
};

export type SessionResolution =
  | { status: "signed_out" }
  | { status: "no_tenant"; user: SessionContext["user"] }
  | { status: "ok"; context: SessionContext };

/**
 * Step: from a user id and the preferred tenant to a context, always against Membership.
 * A token whose sessionVersion is not the user's current one has been ended (password
 * change, removal from a tenant, "sign out everywhere") and counts as signed out. An
 * account whose address is not verified reaches only the tenants it created itself.
 */
export async function resolveSessionContext(input: {
  userId: string | null | undefined;
  sessionVersion?: number | null;
  signedInAt?: number | null;
  preferredTenantId?: string | null;
  ip?: string | null;
}): Promise<SessionResolution> {
  if (!input.userId) return { status: "signed_out" };
  const user = await getDb().user.findUnique({
    where: { id: input.userId },
    select: {
      id: true,
      email: true,
      name: true,
      emailVerified: true,
      sessionVersion: true,
      memberships: {
        select: { role: true, tenant: { select: { id: true, name: true, region: true, createdById: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!user) return { status: "signed_out" };
  if (user.sessionVersion !== (input.sessionVersion ?? 0)) return { status: "signed_out" };
  const emailVerified = user.emailVerified !== null;
  const sessionUser = { id: user.id, email: user.email, name: user.name, emailVerified };
  // A tenant of a region this deployment does not serve is refused here (SPEC §9).
  const served = getEnv().SAIRAPH_REGION;
  const memberships = user.memberships.filter(
    (m) => m.tenant.region === served && (emailVerified || m.tenant.createdById === user.id),
  );
  if (memberships.length === 0) return { status: "no_tenant", user: sessionUser };
  const active = memberships.find((m) => m.tenant.id === input.preferredTenantId) ?? memberships[0];
  return {
    status: "ok",
    context: {
      user: sessionUser,
      signedInAt: input.signedInAt ?? null,
      tenant: { id: active.tenant.id, name: active.tenant.name, region: active.tenant.region },
      role: active.role,
      memberships: memberships.map((m) => ({ tenantId: m.tenant.id, tenantName: m.tenant.name, role: m.role })),
      actor: { type: "user", id: user.id, label: user.email, ip: input.ip ?? null },
    },
  };
}

/**
 * Step: the request's session (next-auth JWT), active-tenant cookie and client IP.
 * Memoised per server render (layout and page share one lookup); actions and route
 * handlers run it afresh every time.
 */
export const loadSession = cache(async (): Promise<SessionResolution> => {
  const session = await auth();
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return resolveSessionContext({
    userId: session?.user?.id,
    sessionVersion: session?.sessionVersion ?? 0,
    signedInAt: session?.signedInAt ?? null,
    preferredTenantId: cookieStore.get(ACTIVE_TENANT_COOKIE)?.value,
    ip: clientIp(headerList),
  });
});

/** Step: a signed-in member of a served tenant with at least the given role, or an ApiError. */
export async function requireSession(minimum: MemberRole | undefined, action: string | undefined): Promise<SessionContext> {
  const resolution = await loadSession();
  if (resolution.status === "signed_out") throw new ApiError("unauthorized", "Your session has ended. Sign in again.");
  if (resolution.status === "no_tenant") throw new ApiError("forbidden", "You are not a member of any tenant.");
  if (minimum) requireRole(resolution.context, minimum, action);
  return resolution.context;
}
