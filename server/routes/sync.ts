// /api/sync: plan (pure billing over a loaded snapshot, saved with an expiry) and apply (journaled, locked),
// and /api/subscriptions/:id/history for the wizard's Subscription History.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { PlanOptions } from '../billing/index.ts';
import { touchBoard } from '../board/index.ts';
import { AppError } from '../errors.ts';
import { jsonBody, parseOrThrow } from '../http/validate.ts';
import { toHistory } from '../pax8/sync-adapter.ts';
import { waivedKeysOf } from '../seats/history.ts';
import { applyPlan } from '../sync/apply.ts';
import { historyCoverage } from '../sync/history-coverage.ts';
import { historyEvents } from '../sync/history-events.ts';
import { limitsOf } from '../sync/limits.ts';
import { makePlan } from '../sync/plan.ts';
import type { PlanBody } from '../sync/plan-types.ts';
import { isArrears } from '../sync/unsynced.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { seatRoutes } from './seats.ts';
import { ApplyRequestSchema, PlanRequestSchema, UuidSchema } from './sync-schemas.ts';

export function syncRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .post('/plan', async (c) => {
      const body = await jsonBody(c, PlanRequestSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const plan = await makePlan(
        {
          store: ctx.store,
          upstream: ctx.upstream,
          now: deps.now,
          memberId: session.memberId,
          newId: randomUUID,
        },
        // valibot's optional keys are `?: T | undefined`; billing's are `?: T`. The parsed object omits absent keys.
        {
          ...body,
          defaultMode: ctx.tenant.settings.updateOrCreate,
          limits: limitsOf(ctx.tenant.settings),
          lineDefaults: {
            billCustomer: ctx.tenant.settings.defaultBillCustomer,
            taxable: ctx.tenant.settings.defaultTaxable,
          },
          // The tenant's proration settings are the defaults; the wizard's options win.
          options: {
            threshold: ctx.tenant.settings.threshold,
            countChangeDay: ctx.tenant.settings.countChangeDay,
            lookbackMonths: ctx.tenant.settings.lookbackMonths,
            ...(body.options as PlanOptions | undefined),
          },
        },
      );
      return c.json(plan);
    })
    .post('/apply', async (c) => {
      const body = await jsonBody(c, ApplyRequestSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const plan = await ctx.store.getPlan(body.planId);
      if (!plan) throw new AppError('not_found', 'No such plan (it may belong to another tenant)');
      const result = await applyPlan(
        {
          store: ctx.store,
          upstream: ctx.upstream,
          now: deps.now,
          actor: { memberId: session.memberId, memberName: session.memberName },
          requestId: randomUUID(),
          limits: limitsOf(ctx.tenant.settings),
        },
        plan,
        body.ignore ?? [],
      );
      // Price overrides last (spec §7): the price chosen in this plan is the next plan's default.
      const choice = (plan.body as PlanBody).priceChoice;
      if (choice !== undefined)
        await ctx.store.rememberPrice?.(plan.subscriptionId, choice, session.memberId);
      touchBoard(deps, ctx, { subscriptionIds: [plan.subscriptionId] });
      // The single sync is a batch too, so it can be undone (POST /api/bulk/jobs/:id/undo-plan); once per plan.
      const { job } = await ctx.repos.bulkJobs.create(ctx.tenant.id, {
        kind: 'apply',
        source: `single:${plan.id}`,
        memberId: session.memberId,
        memberName: session.memberName,
        items: [
          {
            payload: { type: 'apply', plan, ignore: body.ignore ?? [] },
            state: 'done',
            result: { type: 'apply', result },
          },
        ],
      });
      return c.json({ planId: plan.id, batchId: job.id, ...result });
    });
}

export function subscriptionRoutes(deps: ApiContext): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>().use('*', requireSession(deps.sessions));
  routes.route('/', seatRoutes(deps)); // POST /:id/quantity, /:id/cancel
  return routes.get('/:id/history', async (c) => {
    const id = parseOrThrow(UuidSchema, c.req.param('id'), 'subscription id');
    const ctx = await syncContextOf(deps, c.var.session);
    const subscription = await ctx.upstream.getSubscription(id);
    if (!subscription) throw new AppError('not_found', `Subscription ${id} was not found in Pax8`);
    const binding = await ctx.repos.companyBindings.byPax8(ctx.tenant.id, subscription.companyId);
    if (!binding)
      throw new AppError('forbidden', 'This subscription belongs to a Pax8 company that is not bound');
    const [snapshots, journal, { orders, warnings }, podChanges, productBinding] = await Promise.all([
      ctx.pax8.subscriptions.history(id),
      ctx.store.journalForSubscriptions([id]),
      ordersOrWarning(
        () => ctx.pax8.orders.all({ companyId: subscription.companyId }),
        (err) =>
          deps.logger.warn('history without Ordered By: the Pax8 orders read failed', {
            subscriptionId: id,
            code: err.code,
            error: err.message,
          }),
      ),
      ctx.repos.seatChanges.doneFor(ctx.tenant.id, id),
      ctx.store.productBinding(subscription.productId, subscription.billingTerm),
    ]);
    const usage = productBinding?.usage === true || isArrears(subscription);
    const changes = historyCoverage(toHistory(snapshots), journal, waivedKeysOf(podChanges));
    return c.json({
      subscription,
      changes,
      // The guide's Subscription History: action, who ordered, term, renews, status and covering lines per change.
      events: historyEvents({ subscriptionId: id, snapshots, orders, changes, journal, podChanges, usage }),
      warnings,
      journal: journal.map((j) => ({
        key: j.idempotencyKey,
        kind: j.kind,
        action: j.action,
        state: j.state,
        agreementId: j.agreementId,
        additionId: j.cwAdditionId,
        changeKey: j.changeKey,
        updatedAt: j.updatedAt,
      })),
    });
  });
}

const ORDERS_UNAVAILABLE = {
  code: 'pax8_orders_unavailable',
  message: "Pax8's orders could not be read, so Ordered By is not shown.",
} as const;

/**
 * Pax8's orders only name who ordered each change: when Pax8 fails to answer them the history is still worth
 * showing, without that column and with a warning saying why. A failure that is not Pax8's (a bug) still throws.
 */
async function ordersOrWarning<T>(
  read: () => Promise<T[]>,
  log: (err: AppError) => void,
): Promise<{ orders: T[]; warnings: { code: string; message: string }[] }> {
  try {
    return { orders: await read(), warnings: [] };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    log(err);
    return { orders: [], warnings: [ORDERS_UNAVAILABLE] };
  }
}
