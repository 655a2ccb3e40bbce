// next-auth v5: email + password (Credentials) with JWT sessions; GitHub and Google
// only when their variables are set. OAuth sign-ins are linked to a User by email.
import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { getEnv } from "@/lib/env";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { linkOAuthAccount, findOAuthUserId } from "@/lib/auth/link-oauth-account";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { clientIp } from "@/lib/auth/sign-in-throttle";
import { currentSessionVersion } from "@/lib/auth/session-version";

// What the session JWT carries beyond next-auth's own claims: the user's
// sessionVersion at sign-in (checked on every request) and when the sign-in happened.
declare module "next-auth" {
  interface Session {
    sessionVersion?: number;
    signedInAt?: number;
  }
}

/** Too many failed sign-ins for this address or IP; `code` reaches the sign-in form. */
export class SignInThrottledError extends CredentialsSignin {
  code = "throttled";
}

export class InvalidCredentialsError extends CredentialsSignin {
  code = "invalid_credentials";
}

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

function providers(): Provider[] {
  const env = getEnv();
  const list: Provider[] = [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const email = typeof credentials?.email === "string" ? credentials.email : "";
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        const ip = clientIp(request.headers);
        const result = await authenticateWithPassword({ email, password, ip });
        if (result.outcome === "throttled") throw new SignInThrottledError();
        if (result.outcome === "invalid") throw new InvalidCredentialsError();
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    list.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    list.push(Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  }
  return list;
}

/** Which OAuth providers the sign-in page offers. */
export function oauthProviders(): { id: "github" | "google"; name: string }[] {
  const env = getEnv();
  const list: { id: "github" | "google"; name: string }[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  return list;
}

function authConfig(): NextAuthConfig {
  return {
    secret: getEnv().AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: providers(),
    callbacks: {
      async signIn({ account, profile, user }) {
        if (!account || account.type === "credentials") return true;
        // OAuth: only a verified email may be linked to a User row.
        const email = (profile?.email ?? user.email ?? "").toLowerCase();
        const verified = account.provider === "github" || profile?.email_verified === true;
        if (!email || !verified) return false;
        await linkOAuthAccount({
          email,
          name: user.name ?? null,
          image: user.image ?? null,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          type: account.type,
        });
        return true;
      },
      async jwt({ token, account, user }) {
        // Only at sign-in (account/user present): later requests keep the claims they were issued with.
        let signedIn: string | null = null;
        if (account && account.type !== "credentials") {
          signedIn = await findOAuthUserId(account.provider, account.providerAccountId);
        } else if (user?.id) {
          signedIn = user.id;
        }
        if (signedIn) {
          token.sub = signedIn;
          token.sv = await currentSessionVersion(signedIn);
          token.signedInAt = Date.now();
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        session.sessionVersion = typeof token.sv === "number" ? token.sv : 0;
        session.signedInAt = typeof token.signedInAt === "number" ? token.signedInAt : undefined;
        return session;
      },
    },
    events: {
      async signIn({ account }) {
        if (!account || account.type === "credentials") return;
        const userId = await findOAuthUserId(account.provider, account.providerAccountId);
        if (userId) await recordSignIn({ userId, ip: null, method: account.provider });
      },
    },
    logger: {
      // A wrong password is routine, not a server error worth a stack trace.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error("[auth]", error);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());
