/** A mailbox's status as a pill: active in green, anything else in amber. */
export function StatusBadge({ status }: { status: string }) {
  const tone =
    status === "active" ? "bg-emerald-50 text-emerald-800 border-emerald-200" : "bg-amber-50 text-amber-800 border-amber-200";
  return <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}>{status}</span>;
}
