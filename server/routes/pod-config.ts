// GET /api/pod-config (no auth): the origins the pod's bridge may talk to — the ConnectWise UI origins
// (cloud + HOST_ORIGINS) and every configured tenant's own site.
import { Hono } from 'hono';
import type { ApiContext } from './deps.ts';

export function hostOriginOfSite(cwSite: string, region: string): string {
  // The sandbox tenant's site is its scheme-less host:port, served over plain http.
  return `${region === 'sandbox' ? 'http' : 'https'}://${cwSite}`;
}

export async function allHostOrigins(ctx: ApiContext): Promise<string[]> {
  const tenants = await ctx.repos.tenants.list();
  return [...new Set([...ctx.hostOrigins, ...tenants.map((t) => hostOriginOfSite(t.cwSite, t.cwRegion))])];
}

export function podConfigRoutes(ctx: ApiContext): Hono {
  return new Hono().get('/', async (c) => c.json({ hostOrigins: await allHostOrigins(ctx) }));
}
