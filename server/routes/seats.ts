// /api/subscriptions/:id/quantity and /:id/cancel: seat changes from the pod (guide "Modify quantity"). Thin:
// validate, build the tenant's ports, call seats/change.ts, respond. Mounted inside subscriptionRoutes, whose
// requireSession covers them.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import { touchBoard } from '../board/index.ts';
import { jsonBody, parseOrThrow } from '../http/validate.ts';
import { changeSeats, type SeatContext, seatInfo } from '../seats/change.ts';
import type { Session } from '../session/jwt.ts';
import { syncContextOf } from '../sync-context.ts';
import type { ApiEnv } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { UuidSchema } from './sync-schemas.ts';

const IdempotencyKeySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _'),
);
const AcceptTermsSchema = v.literal(true, 'You must accept the terms and conditions');

export const QuantityChangeSchema = v.strictObject({
  quantity: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  waiveProrate: v.boolean(),
  acceptTerms: AcceptTermsSchema,
  idempotencyKey: IdempotencyKeySchema,
});

export const CancelSchema = v.strictObject({
  waiveProrate: v.optional(v.boolean(), false),
  acceptTerms: AcceptTermsSchema,
  idempotencyKey: IdempotencyKeySchema,
});

async function seatContextOf(deps: ApiContext, session: Session): Promise<SeatContext> {
  const ctx = await syncContextOf(deps, session);
  const tenantId = ctx.tenant.id;
  const changes = ctx.repos.seatChanges;
  return {
    pax8: ctx.pax8.subscriptions,
    store: {
      isBound: async (pax8CompanyId) =>
        (await ctx.repos.companyBindings.byPax8(tenantId, pax8CompanyId)) !== null,
      usageBinding: async (productId, billingTerm) =>
        (await ctx.repos.productBindings.get(tenantId, productId, billingTerm))?.usage === true,
      byKey: (key) => changes.byKey(tenantId, key),
      claim: (input) => changes.claim(tenantId, input),
      markSent: (id) => changes.markSent(tenantId, id),
      markUnknown: (id, response) => changes.markUnknown(tenantId, id, response),
      markFailed: (id, response) => changes.markFailed(tenantId, id, response),
      markDone: (id, changeKey, response) => changes.markDone(tenantId, id, changeKey, response),
      acquireLock: ctx.store.acquireLock,
      releaseLock: ctx.store.releaseLock,
      audit: ctx.store.audit,
    },
    now: deps.now,
    actor: { memberId: session.memberId, memberName: session.memberName },
    requestId: randomUUID(),
  };
}

export function seatRoutes(deps: ApiContext): Hono<ApiEnv> {
  /** A seat change moves the board's money: its company is judged again in the background. */
  const touch = async (session: Session, subscriptionId: string) =>
    touchBoard(deps, await syncContextOf(deps, session), { subscriptionIds: [subscriptionId] });
  return new Hono<ApiEnv>()
    .get('/:id/seats', async (c) => {
      const id = parseOrThrow(UuidSchema, c.req.param('id'), 'subscription id');
      return c.json(await seatInfo(await seatContextOf(deps, c.var.session), id));
    })
    .post('/:id/quantity', async (c) => {
      const id = parseOrThrow(UuidSchema, c.req.param('id'), 'subscription id');
      const body = await jsonBody(c, QuantityChangeSchema);
      const ctx = await seatContextOf(deps, c.var.session);
      const result = await changeSeats(ctx, {
        subscriptionId: id,
        action: 'quantity',
        quantity: body.quantity,
        waiveProrate: body.waiveProrate,
        idempotencyKey: body.idempotencyKey,
      });
      await touch(c.var.session, id);
      return c.json(result);
    })
    .post('/:id/cancel', async (c) => {
      const id = parseOrThrow(UuidSchema, c.req.param('id'), 'subscription id');
      const body = await jsonBody(c, CancelSchema);
      const ctx = await seatContextOf(deps, c.var.session);
      const result = await changeSeats(ctx, {
        subscriptionId: id,
        action: 'cancel',
        waiveProrate: body.waiveProrate,
        idempotencyKey: body.idempotencyKey,
      });
      await touch(c.var.session, id);
      return c.json(result);
    });
}
