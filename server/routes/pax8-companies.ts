// GET /api/pax8/companies?search=: Pax8 companies to bind in place when the likely matches of the view are
// not the right one. One pager walk of the tenant's Pax8 companies; companies bound elsewhere are left out.
import { Hono } from 'hono';
import * as v from 'valibot';
import { queryOf } from '../http/validate.ts';
import { nameScore } from '../sync/candidates.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';

const SearchQuerySchema = v.object({
  search: v.pipe(v.string(), v.trim(), v.minLength(1, 'type part of a name'), v.maxLength(100)),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,2}$/, 'must be a whole number from 1 to 50'), v.transform(Number)),
    '20',
  ),
});

export type Pax8CompanyMatch = { pax8CompanyId: string; name: string; score: number };

/** Names containing every typed word first, then by similarity; at most `limit`. */
export function searchCompanies(
  search: string,
  companies: readonly { id: string; name: string }[],
  limit: number,
): Pax8CompanyMatch[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return companies
    .map((c) => ({
      pax8CompanyId: c.id,
      name: c.name,
      score: nameScore(search, c.name),
      contains: words.every((w) => c.name.toLowerCase().includes(w)),
    }))
    .filter((c) => c.contains || c.score >= 0.4)
    .sort(
      (a, b) => Number(b.contains) - Number(a.contains) || b.score - a.score || a.name.localeCompare(b.name),
    )
    .slice(0, limit)
    .map(({ contains: _, ...match }) => match);
}

/** Typing searches again and again: the tenant's Pax8 company list is walked once a minute at most. */
export const COMPANY_LIST_TTL_MS = 60_000;

type Listed = { at: number; companies: Promise<{ id: string; name: string; status?: string | undefined }[]> };

export function pax8CompanyRoutes(deps: ApiContext): Hono<ApiEnv> {
  // Per app (and so per process): a list per tenant, dropped when stale or when its walk failed.
  const lists = new Map<string, Listed>();
  const companiesOf = (tenantId: string, walk: () => Listed['companies']) => {
    const now = deps.now().getTime();
    const hit = lists.get(tenantId);
    if (hit && now - hit.at < COMPANY_LIST_TTL_MS) return hit.companies;
    const companies = walk();
    lists.set(tenantId, { at: now, companies });
    companies.catch(() => lists.delete(tenantId));
    return companies;
  };
  return new Hono<ApiEnv>().use('*', requireSession(deps.sessions)).get('/', async (c) => {
    const query = queryOf(c, SearchQuerySchema);
    const limit = Math.min(Math.max(query.limit, 1), 50);
    const ctx = await syncContextOf(deps, c.var.session);
    const [companies, bindings] = await Promise.all([
      companiesOf(ctx.tenant.id, () => ctx.pax8.companies.all()),
      ctx.repos.companyBindings.list(ctx.tenant.id),
    ]);
    const bound = new Set(bindings.map((b) => b.pax8CompanyId));
    const free = companies.filter((co) => !bound.has(co.id) && co.status !== 'Deleted');
    return c.json({ companies: searchCompanies(query.search, free, limit) });
  });
}
