// /api/views: the pod's one-round-trip views of an agreement, or of a company and its active agreements.
import { Hono } from 'hono';
import { parseOrThrow } from '../http/validate.ts';
import { agreementView, companyView } from '../sync/view.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { CwIdSchema } from './sync-schemas.ts';

export function viewRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/agreement/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'agreement id');
      const ctx = await syncContextOf(deps, c.var.session);
      return c.json(await agreementView({ store: ctx.store, upstream: ctx.upstream, now: deps.now }, id));
    })
    .get('/company/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'company id');
      const ctx = await syncContextOf(deps, c.var.session);
      return c.json(await companyView({ store: ctx.store, upstream: ctx.upstream, now: deps.now }, id));
    });
}
