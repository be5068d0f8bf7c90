// /api/views: the pod's one-round-trip views of an agreement, or of a company and its active agreements.
// Identical views of one tenant asked while one is being built share it, serialised once: a burst of pods
// on the same record costs one set of store reads, one judgement and one JSON text. Shared in flight only,
// and never across a write (write-generation.ts) or a change of day, so no answer is older than its request.
import { Hono } from 'hono';
import { createSingleFlight } from '../http/single-flight.ts';
import { parseOrThrow } from '../http/validate.ts';
import { writeGenerationOf } from '../http/write-generation.ts';
import type { Session } from '../session/jwt.ts';
import { agreementView, companyView } from '../sync/view.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { CwIdSchema } from './sync-schemas.ts';

const json = { 'Content-Type': 'application/json' };

export type ViewKind = 'agreement' | 'company';
/** A record view's JSON text for a verified session (shared in flight with identical ones). */
export type ViewTexts = (session: Session, kind: ViewKind, id: number) => Promise<string>;

const builders = new WeakMap<object, ViewTexts>();

/**
 * The one view builder of an API context: GET /api/views and POST /api/session (which may answer the pod's
 * first view with its session) share its builds in flight.
 */
export function viewTextsOf(deps: ApiContext): ViewTexts {
  let texts = builders.get(deps);
  if (texts) return texts;
  const writes = writeGenerationOf(deps);
  const building = createSingleFlight<string>();
  texts = (session, kind, id) => {
    const today = deps.now().toISOString().slice(0, 10);
    const key = `${session.tenantId}|${kind}:${id}|${writes.current()}|${today}`;
    return building.run(key, async () => {
      const ctx = await syncContextOf(deps, session);
      const viewCtx = { store: ctx.store, upstream: ctx.upstream, now: deps.now };
      return JSON.stringify(
        kind === 'agreement' ? await agreementView(viewCtx, id) : await companyView(viewCtx, id),
      );
    });
  };
  builders.set(deps, texts);
  return texts;
}

export function viewRoutes(deps: ApiContext): Hono<ApiEnv> {
  const texts = viewTextsOf(deps);
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/agreement/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'agreement id');
      return c.body(await texts(c.var.session, 'agreement', id), 200, json);
    })
    .get('/company/:id', async (c) => {
      const id = parseOrThrow(CwIdSchema, c.req.param('id'), 'company id');
      return c.body(await texts(c.var.session, 'company', id), 200, json);
    });
}
