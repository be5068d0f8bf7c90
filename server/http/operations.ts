// The operations every answer passes through, as one middleware instead of five (each Hono middleware is an
// async frame and a dispatch per request, and a pod view is only a few of those deep): the security headers
// set before the handler runs, the request id (a sane incoming X-Request-Id kept and echoed) carried by every
// log line written while it runs, the process's in-flight cap (a shed answer is counted by
// http_requests_shed_total, not timed), the request metrics, and Retry-After on every 429/503.
import type { Context, MiddlewareHandler, Next } from 'hono';
import type {} from 'hono/request-id';
import { withRequestId } from '../log.ts';
import { countRequest } from '../metrics.ts';
import { addRetryAfter } from './ops-routes.ts';
import { baseSecurityHeaders, restoreSecurityHeaders } from './security-headers.ts';
import type { Shedder } from './shedding.ts';

/** The longest incoming X-Request-Id kept; a longer or odd one is replaced by a fresh UUID. */
export const REQUEST_ID_MAX = 128;
const oddRequestId = /[^\w\-=]/;
/** The request id of an answer: the incoming one when sane, else a fresh UUID (as hono/request-id chooses). */
export const requestIdOf = (given: string | null | undefined): string =>
  given && given.length <= REQUEST_ID_MAX && !oddRequestId.test(given) ? given : crypto.randomUUID();

export type OperationsOptions = {
  live: boolean;
  /** The process cap; absent: nothing is shed. */
  shedder?: Shedder | undefined;
  /** Paths never shed (probes, assets, the emulated upstreams). */
  neverShed: (path: string) => boolean;
  /** Paths whose 429/503 are not ours (the emulated upstreams): no Retry-After added. */
  notOurs: (path: string) => boolean;
};

export function operations(o: OperationsOptions): MiddlewareHandler {
  const base = baseSecurityHeaders({ live: o.live });
  const { shedder, neverShed, notOurs } = o;

  const run = async (c: Context, next: Next): Promise<Response | undefined> => {
    const admitted = shedder !== undefined && !neverShed(c.req.path);
    if (admitted && !shedder.enter()) return shedder.refuse(c);
    const start = performance.now();
    try {
      await next();
    } finally {
      if (admitted) shedder.leave();
      countRequest(c.req.method, c.req.routePath, c.res.status, (performance.now() - start) / 1000);
    }
    addRetryAfter(c, notOurs);
    restoreSecurityHeaders(c, base);
    return undefined;
  };

  return (c, next) => {
    for (const [name, value] of base) c.header(name, value);
    const id = requestIdOf(c.req.header('X-Request-Id'));
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    return withRequestId(id, () => run(c, next));
  };
}
