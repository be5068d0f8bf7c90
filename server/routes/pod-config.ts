// GET /api/pod-config?t=<tenant key> (no auth): the origins the pod's bridge may talk to — that tenant's own
// ConnectWise site and HOST_ORIGINS, nothing of any other tenant. The same lookup feeds the pod page's
// CSP frame-ancestors (frameAncestorsFor). Nothing here lists tenants: an unknown key is a bare 404.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import type { Tenant } from '../store/index.ts';
import type { ApiContext } from './deps.ts';

/** The query parameter of the registered pod URL that carries the tenant key. */
export const TENANT_KEY_PARAM = 't';

export function hostOriginOfSite(cwSite: string, region: string): string {
  // The sandbox tenant's site is its scheme-less host:port, served over plain http.
  return `${region === 'sandbox' ? 'http' : 'https'}://${cwSite}`;
}

/** Other UI names of a cloud region's ConnectWise (cloudHostOrigins in app.ts lists them all). */
const regionAliases: Partial<Record<Tenant['cwRegion'], string[]>> = {
  au: ['https://aus.myconnectwise.net'],
  staging: ['https://staging.connectwisedev.com'],
};

/** The ConnectWise UI origins that may frame and talk to this tenant's pod: its site and HOST_ORIGINS. */
export function tenantHostOrigins(ctx: Pick<ApiContext, 'hostOrigins'>, tenant: Tenant): string[] {
  const own = [hostOriginOfSite(tenant.cwSite, tenant.cwRegion), ...(regionAliases[tenant.cwRegion] ?? [])];
  return [...new Set([...own, ...ctx.hostOrigins])];
}

/** The tenant a request's `?t=` names, or null (missing, malformed or unknown key). */
export async function tenantOfRequest(ctx: ApiContext, c: Context): Promise<Tenant | null> {
  const key = c.req.query(TENANT_KEY_PARAM);
  return key ? ctx.repos.tenants.findByKey(key) : null;
}

/** For the page CSP: the origins that may frame a page requested with `?t=<key>`; [] when none may. */
export function frameAncestorsFor(ctx: ApiContext): (c: Context) => Promise<string[]> {
  return async (c) => {
    const tenant = await tenantOfRequest(ctx, c);
    return tenant ? tenantHostOrigins(ctx, tenant) : [];
  };
}

/**
 * For the pod page: what GET /api/pod-config would answer for the page's `?t=` key, written into the page so the
 * pod starts its handshake at once instead of after a round trip; null when the key is missing or unknown (the
 * pod then asks /api/pod-config and shows its error).
 */
export function podConfigFor(ctx: ApiContext): (c: Context) => Promise<{ hostOrigins: string[] } | null> {
  return async (c) => {
    const tenant = await tenantOfRequest(ctx, c);
    return tenant ? { hostOrigins: tenantHostOrigins(ctx, tenant) } : null;
  };
}

export function podConfigRoutes(ctx: ApiContext): Hono {
  return new Hono().get('/', async (c) => {
    if (!c.req.query(TENANT_KEY_PARAM)) {
      throw new AppError(
        'bad_request',
        'The pod URL carries no tenant key: register the pod in ConnectWise again',
      );
    }
    const tenant = await tenantOfRequest(ctx, c);
    if (!tenant) throw new AppError('not_found', 'Unknown pod URL');
    return c.json({ hostOrigins: tenantHostOrigins(ctx, tenant) });
  });
}
