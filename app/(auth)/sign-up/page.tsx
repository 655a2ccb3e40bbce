import { redirect } from "next/navigation";
import { loadSession } from "@/lib/auth/resolve-session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { getEnv } from "@/lib/env";
import { SignUpForm } from "./sign-up-form";
import { cardClass } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create an account · Sairaph Mail" };

export default async function SignUpPage() {
  // A token whose user no longer exists counts as signed out (no redirect loop).
  if ((await loadSession()).status !== "signed_out") redirect("/overview");
  return (
    <section className={cardClass}>
      <h1 className="mb-1 text-xl font-semibold">Create an account</h1>
      <p className="mb-4 text-sm text-slate-600">You will be the owner of a new tenant.</p>
      <SignUpForm passwordMinLength={PASSWORD_MIN_LENGTH} region={getEnv().SAIRAPH_REGION} />
    </section>
  );
}
