import { handlers } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

// GET|POST /api/auth/* – next-auth (sign-in, callback, session, sign-out, csrf)
export const { GET, POST } = handlers;
