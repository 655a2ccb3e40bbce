import Link from "next/link";
import { redirect } from "next/navigation";
import { getEnv } from "@/lib/env";
import { loadSession } from "@/lib/auth/resolve-session";
import { NewTenantForm } from "./new-tenant-form";
import { cardClass } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata = { title: "New tenant · Sairaph Mail" };

export default async function NewTenantPage() {
  const resolution = await loadSession();
  if (resolution.status === "signed_out") redirect("/sign-in");
  return (
    <section className={cardClass}>
      <h1 className="mb-1 text-xl font-semibold">Create a tenant</h1>
      <p className="mb-4 text-sm text-slate-600">
        {resolution.status === "no_tenant"
          ? "You are not a member of any tenant yet. Create one, or ask an owner to add you."
          : "You will be its owner."}{" "}
        Its data will live in region {getEnv().SAIRAPH_REGION}.
      </p>
      <NewTenantForm />
      {resolution.status === "ok" && (
        <p className="mt-4 text-sm">
          <Link href="/overview" className="underline">
            Back to {resolution.context.tenant.name}
          </Link>
        </p>
      )}
    </section>
  );
}
