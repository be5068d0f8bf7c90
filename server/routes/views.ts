// /api/views: the pod's one-round-trip views of an agreement, or of a company and its active agreements.
// Identical views of one tenant asked while one is being built share it, serialised once: a burst of pods
// on the same record costs one set of store reads, one judgement and one JSON text. Shared in flight only,
// and never across a write (write-generation.ts) or a change of day, so no answer is older than its request.
import { Hono } from 'hono';
import { createSingleFlight } from '../http/single-flight.ts';
import { parseOrThrow } from '../http/validate.ts';
import { writeGenerationOf } from '../http/write-generation.ts';
import { agreementView, companyView } from '../sync/view.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { CwIdSchema } from './sync-schemas.ts';

const json = { 'Content-Type': 'application/json' };

export function viewRoutes(deps: ApiContext): Hono<ApiEnv> {
  const writes = writeGenerationOf(deps);
  const building = createSingleFlight<string>();
  const shared = (tenantId: string, what: string, build: () => Promise<unknown>) => {
    const today = deps.now().toISOString().slice(0, 10);
    const key = `${tenantId}|${what}|${writes.current()}|${today}`;
    return building.run(key, async () => JSON.stringify(await build()));
  };
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/agreement/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'agreement id');
      const session = c.var.session;
      const body = await shared(session.tenantId, `agreement:${id}`, async () => {
        const ctx = await syncContextOf(deps, session);
        return agreementView({ store: ctx.store, upstream: ctx.upstream, now: deps.now }, id);
      });
      return c.body(body, 200, json);
    })
    .get('/company/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'company id');
      const session = c.var.session;
      const body = await shared(session.tenantId, `company:${id}`, async () => {
        const ctx = await syncContextOf(deps, session);
        return companyView({ store: ctx.store, upstream: ctx.upstream, now: deps.now }, id);
      });
      return c.body(body, 200, json);
    });
}
