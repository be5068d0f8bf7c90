// /api/audit: the unsynced-subscriptions audit (every Pax8 subscription of the tenant, one pager walk)
// with its ignore list, and /api/companies: ConnectWise companies beside their Pax8 bindings.
import { Hono } from 'hono';
import * as v from 'valibot';
import { auditPageJson, auditSnapshotsOf } from '../audit-snapshot.ts';
import { touchBoard } from '../board/index.ts';
import { AppError } from '../errors.ts';
import { jsonBody, queryOf } from '../http/validate.ts';
import { type NamedCompany, normalizeName } from '../sync/candidates.ts';
import { AuditPageQuerySchema, decodeCursor, pageAudit } from '../sync/unsynced-page.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';

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
      // Validated before any upstream read: a bad limit or cursor is a 400 at once.
      const query = queryOf(c, AuditPageQuerySchema);
      if (query.cursor !== undefined) decodeCursor(query.cursor);
      const audit = await auditSnapshotsOf(deps).audit(c.var.session, query.cursor === undefined);
      return c.body(auditPageJson(pageAudit(audit, query)), 200, { 'Content-Type': 'application/json' });
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
      touchBoard(deps, ctx, { subscriptionIds: [sub.id] });
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
      touchBoard(deps, ctx, { subscriptionIds: [body.subscriptionId] });
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
    const likely = likelyMatcher([...pax8ById.values()].filter((p) => !taken.has(p.id)));
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
          candidates: pax8Company ? [] : likely(cw.name),
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

const MIN_SCORE = 0.5;

/**
 * rankCandidates for many names against one directory. Scoring every pair re-normalises both names
 * (10 s for 1,000 × 1,000), so the directory's letter pairs are indexed once and each name's Dice score
 * against every company is summed from the index: the same score, order and limit as rankCandidates.
 */
export function likelyMatcher(directory: readonly NamedCompany[], limit = 3) {
  const postings = new Map<string, { at: number; n: number }[]>();
  const texts = directory.map((company) => normalizeName(company.name).join(' '));
  texts.forEach((text, at) => {
    for (const [g, n] of pairsOf(text)) {
      const list = postings.get(g) ?? [];
      if (list.length === 0) postings.set(g, list);
      list.push({ at, n });
    }
  });
  return (name: string): { pax8CompanyId: string; name: string; score: number }[] => {
    const text = normalizeName(name).join(' ');
    if (text === '') return [];
    const shared = new Map<number, number>();
    for (const [g, n] of pairsOf(text)) {
      for (const p of postings.get(g) ?? []) shared.set(p.at, (shared.get(p.at) ?? 0) + Math.min(n, p.n));
    }
    // Equal names score 1 even when too short to have a letter pair.
    texts.forEach((t, at) => {
      if (t === text && !shared.has(at)) shared.set(at, 0);
    });
    const out: { pax8CompanyId: string; name: string; score: number }[] = [];
    for (const [at, count] of shared) {
      const other = texts[at] ?? '';
      const company = directory[at];
      if (!company || other === '') continue;
      const total = Math.max(1, text.length - 1 + (other.length - 1));
      const score = other === text ? 1 : Math.round(((2 * count) / total) * 100) / 100;
      if (score >= MIN_SCORE) out.push({ pax8CompanyId: company.id, name: company.name, score });
    }
    return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
  };
}

function pairsOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const g = text.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}
