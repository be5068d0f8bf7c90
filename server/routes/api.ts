// createApi(deps): the /api router. Builds the repositories once and mounts one router per resource;
// later routers (sync, agreements, …) take the same ApiContext and reuse requireSession.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import { createAttemptLimiter } from '../http/rate-limit.ts';
import { isReadMethod, writeGenerationOf } from '../http/write-generation.ts';
import { createAttempts } from '../store/attempts.ts';
import { createRepositories } from '../store/index.ts';
import { bearerOf, claimedTenantOf, verifyBearer } from './auth.ts';
import type { ApiContext, ApiDeps } from './deps.ts';
import { podConfigRoutes } from './pod-config.ts';
import { sessionRoutes } from './session.ts';
import { setupRoutes } from './setup.ts';
import { mountSyncRoutes } from './sync-mount.ts';

export { type ApiEnv, requireSession, sameTenant } from './auth.ts';
export type { ApiContext, ApiDeps } from './deps.ts';

/** The largest JSON body /api accepts (the largest real one, a plan with custom texts, is a few KB). */
export const MAX_BODY_BYTES = 256 * 1024;

export function apiContext(deps: ApiDeps): ApiContext {
  return {
    ...deps,
    repos: createRepositories(deps.store.db, deps.secretBox, deps.now),
    limiter:
      deps.limiter ??
      createAttemptLimiter({ attempts: createAttempts(deps.store.db, deps.store.dialect), now: deps.now }),
  };
}

/** The /api router; `more` mounts further routers (path → router built from the same context). */
export function createApi(
  deps: ApiDeps | ApiContext,
  more: (ctx: ApiContext, api: Hono) => void = () => {},
): Hono {
  const ctx = 'repos' in deps ? deps : apiContext(deps);
  const api = new Hono();
  // A tenant over its in-flight cap is shed before its body is read. Slots are taken by the verified token's
  // tenant (an HMAC, no store), so a forged token cannot spend another tenant's slots; the token's unverified
  // claim only lets a request for a full tenant be refused before the HMAC. No token: the process cap only.
  if (ctx.shedder) {
    api.use(
      '*',
      ctx.shedder.tenant({
        claimed: (c) => claimedTenantOf(bearerOf(c)),
        verified: async (c) => {
          const token = bearerOf(c);
          if (token === null) return null;
          const verified = await verifyBearer(c, ctx.sessions, token);
          return verified.ok ? verified.session.tenantId : null;
        },
      }),
    );
  }
  // No request of the pod comes near this; a larger body is refused (413) before anything reads it. A GET or
  // HEAD has no body (a Request cannot carry one), and asking the node adapter for it builds a whole Request.
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
    },
  });
  api.use('*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  // Every write is counted as it starts and as it ends: views shared in flight and the audit's paging
  // snapshot are only reused while no write has come between (write-generation.ts).
  const writes = writeGenerationOf(ctx);
  api.use('*', async (c, next) => {
    if (isReadMethod(c.req.method)) return next();
    writes.bump();
    try {
      await next();
    } finally {
      writes.bump();
    }
  });
  api.route('/session', sessionRoutes(ctx));
  api.route('/pod-config', podConfigRoutes(ctx));
  api.route('/setup', setupRoutes(ctx));
  mountSyncRoutes(ctx, api); // sync, subscriptions, views, bindings, catalog, products
  more(ctx, api);
  return api;
}
