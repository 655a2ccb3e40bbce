// Fixed-window rate-limit math and the IETF RateLimit header fields
// (draft-ietf-httpapi-ratelimit-headers): RateLimit-Policy and RateLimit.
export type WindowState = { limit: number; used: number; windowMs: number; windowStart: number; now: number };

/**
 * A time as SQL parameter for a `timestamp` (without time zone) column, which holds
 * UTC. Never pass a JS Date there: node-postgres writes it in the process's local
 * time, so on a host west of UTC counters would be stored already expired.
 */
export function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

export function secondsUntilReset(state: Pick<WindowState, "windowStart" | "windowMs" | "now">): number {
  return Math.max(1, Math.ceil((state.windowStart + state.windowMs - state.now) / 1000));
}

export function rateLimitHeaders(policy: string, state: WindowState): Record<string, string> {
  const remaining = Math.max(0, state.limit - state.used);
  const reset = secondsUntilReset(state);
  return {
    "RateLimit-Policy": `"${policy}";q=${state.limit};w=${Math.round(state.windowMs / 1000)}`,
    RateLimit: `"${policy}";r=${remaining};t=${reset}`,
  };
}

export function exceededHeaders(policy: string, state: WindowState): Record<string, string> {
  return { ...rateLimitHeaders(policy, state), "Retry-After": String(secondsUntilReset(state)) };
}
