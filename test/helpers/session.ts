// Signs a user in for server actions and dashboard route handlers under test: only
// the next-auth session and the request's cookies/headers are faked (see
// mockDashboardRequest); membership, role and tenant checks behind them are real.
export const fakeSession = {
  userId: null as string | null,
  activeTenantId: null as string | null,
  ip: "203.0.113.7",
  /** The sessionVersion the fake JWT was issued with, and when it signed in. */
  sessionVersion: 0,
  signedInAt: Date.now() as number | undefined,
};

export function signInAs(userId: string | null, activeTenantId: string | null = null): void {
  fakeSession.userId = userId;
  fakeSession.activeTenantId = activeTenantId;
  fakeSession.sessionVersion = 0;
  fakeSession.signedInAt = Date.now();
}

/** The module for vi.mock("@/lib/auth/auth", …). */
export function fakeAuthModule() {
  return {
    auth: async () =>
      fakeSession.userId
        ? { user: { id: fakeSession.userId }, sessionVersion: fakeSession.sessionVersion, signedInAt: fakeSession.signedInAt }
        : null,
    // Issuing or clearing the cookie is next-auth's part; the tests check what the database says.
    signIn: async () => undefined,
    signOut: async () => undefined,
  };
}

/** The module for vi.mock("next/headers", …). */
export function fakeHeadersModule() {
  return {
    cookies: async () => ({
      get: (name: string) => (name === "sairaph_tenant" && fakeSession.activeTenantId ? { value: fakeSession.activeTenantId } : undefined),
    }),
    headers: async () => new Headers({ "x-forwarded-for": fakeSession.ip }),
  };
}
