// /api/audit: the unsynced-subscriptions audit (every Pax8 subscription of the tenant, one pager walk)
// with its ignore list, and /api/companies: ConnectWise companies beside their Pax8 bindings.
import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/validate.ts';
import { rankCandidates } from '../sync/candidates.ts';
import { auditUnsynced } from '../sync/unsynced.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { syncContextOf } from './sync-context.ts';
import { toSubscription } from './sync-upstream.ts';

const Uuid = v.pipe(v.string(), v.uuid('must be a Pax8 subscription id (uuid)'));

export const IgnoreSchema = v.strictObject({
  subscriptionId: Uuid,
  reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500, 'must be at most 500 characters'))),
});
export const RestoreSchema = v.strictObject({ subscriptionId: Uuid });

export function auditRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/unsynced', async (c) => {
      const ctx = await syncContextOf(deps, c.var.session);
      const tenantId = ctx.tenant.id;
      const [subscriptions, pax8Companies, companyBindings, productBindings, ignored] = await Promise.all([
        ctx.pax8.subscriptions.all(),
        ctx.pax8.companies.all(),
        ctx.repos.companyBindings.list(tenantId),
        ctx.repos.productBindings.list(tenantId),
        ctx.repos.ignored.list(tenantId),
      ]);
      const journal = await ctx.repos.journal.forSubscriptions(
        tenantId,
        subscriptions.map((s) => s.id),
      );
      return c.json(
        auditUnsynced({
          subscriptions: subscriptions.map(toSubscription),
          pax8Companies,
          companyBindings,
          productBindings,
          journal,
          ignored,
          now: deps.now(),
        }),
      );
    })
    .post('/ignore', async (c) => {
      const body = await jsonBody(c, IgnoreSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const sub = await ctx.upstream.getSubscription(body.subscriptionId);
      if (!sub) throw new AppError('not_found', `Subscription ${body.subscriptionId} was not found in Pax8`);
      const ignored = await ctx.repos.ignored.ignore(ctx.tenant.id, {
        subscriptionId: sub.id,
        reason: body.reason ?? '',
        ignoredBy: session.memberId,
      });
      await ctx.repos.audit.append(ctx.tenant.id, {
        actor: session.memberId,
        action: 'subscription.ignore',
        target: `subscription:${sub.id}`,
        after: { reason: ignored.reason, productName: sub.productName, pax8CompanyId: sub.companyId },
      });
      return c.json({ ignored }, 201);
    })
    .post('/restore', async (c) => {
      const body = await jsonBody(c, RestoreSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const before = (await ctx.repos.ignored.list(ctx.tenant.id)).find(
        (i) => i.subscriptionId === body.subscriptionId,
      );
      if (!before || !(await ctx.repos.ignored.restore(ctx.tenant.id, body.subscriptionId))) {
        throw new AppError('not_found', `Subscription ${body.subscriptionId} is not ignored`);
      }
      await ctx.repos.audit.append(ctx.tenant.id, {
        actor: session.memberId,
        action: 'subscription.restore',
        target: `subscription:${body.subscriptionId}`,
        before: { reason: before.reason, ignoredBy: before.ignoredBy, ignoredAt: before.ignoredAt },
      });
      return c.json({ restored: { subscriptionId: body.subscriptionId } });
    });
}

/** Mounts /audit and /companies on the /api router (one line in sync-mount.ts). */
export function mountAuditRoutes(ctx: ApiContext, api: Hono): void {
  api.route('/audit', auditRoutes(ctx));
  api.route('/companies', companyRoutes(ctx));
}

export type CompanyRow = {
  cwCompany: { id: number; name: string; identifier: string };
  pax8Company: { id: string; name: string } | null;
  candidates: { pax8CompanyId: string; name: string; score: number }[];
};

/** GET /api/companies: both directories through their pagers (two walks), joined by the bindings. */
export function companyRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>().use('*', requireSession(deps.sessions)).get('/', async (c) => {
    const ctx = await syncContextOf(deps, c.var.session);
    const [cwCompanies, pax8Companies, bindings] = await Promise.all([
      ctx.cw.companies.all({ orderBy: 'name asc' }),
      ctx.pax8.companies.all(),
      ctx.repos.companyBindings.list(ctx.tenant.id),
    ]);
    const pax8ById = new Map(pax8Companies.map((p) => [p.id, { id: p.id, name: p.name }]));
    const boundOf = new Map(bindings.map((b) => [b.cwCompanyId, b.pax8CompanyId]));
    const taken = new Set(bindings.map((b) => b.pax8CompanyId));
    const free = [...pax8ById.values()].filter((p) => !taken.has(p.id));
    // Sorted here too: the name order must not depend on how an instance honours orderBy.
    const companies = cwCompanies
      .filter((cw) => cw.deletedFlag !== true)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
      .map((cw): CompanyRow => {
        const pax8Id = boundOf.get(cw.id);
        const pax8Company =
          pax8Id === undefined ? null : (pax8ById.get(pax8Id) ?? { id: pax8Id, name: pax8Id });
        return {
          cwCompany: { id: cw.id, name: cw.name, identifier: cw.identifier },
          pax8Company,
          candidates: pax8Company ? [] : rankCandidates(cw.name, free, 3),
        };
      });
    return c.json({
      companies,
      counts: {
        cwCompanies: companies.length,
        pax8Companies: pax8Companies.length,
        bound: companies.filter((r) => r.pax8Company !== null).length,
      },
    });
  });
}
