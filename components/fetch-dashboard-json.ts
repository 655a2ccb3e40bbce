/**
 * GET a dashboard route's JSON for a TanStack query: an error answer (SPEC §3 shape)
 * becomes an Error carrying its message, so the query's error state can show it.
 */
export async function fetchDashboardJson<T>(url: string, fallbackMessage: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? fallbackMessage);
  return body as T;
}
