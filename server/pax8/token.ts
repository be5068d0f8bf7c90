// The Pax8 access token: fetched once, cached until shortly before expiry, and single-flight, so
// concurrent callers share one token request.
export type TokenGrant = { accessToken: string; expiresInSeconds: number };

export type TokenCache = {
  /** A valid token, requesting one only when none is cached or it is about to expire. */
  get(): Promise<string>;
  /** Drops `token` (after a 401) so the next get() requests a new one; a newer token is kept. */
  invalidate(token: string): void;
};

/** Refresh this long before expiry: 10% of the lifetime, at most 5 minutes. */
export const refreshMarginMs = (lifetimeMs: number): number => Math.min(5 * 60_000, lifetimeMs / 10);

export function createTokenCache(request: () => Promise<TokenGrant>, now: () => Date): TokenCache {
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  return {
    get() {
      if (cached && now().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
      if (!pending) {
        pending = (async () => {
          try {
            const grant = await request();
            const lifetimeMs = grant.expiresInSeconds * 1000;
            cached = {
              token: grant.accessToken,
              refreshAt: now().getTime() + lifetimeMs - refreshMarginMs(lifetimeMs),
            };
            return grant.accessToken;
          } finally {
            pending = undefined;
          }
        })();
      }
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
