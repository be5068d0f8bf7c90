// Per-request wiring for the sync routers: the session's tenant, its (cached) clients, and sync's ports over them.
import type { ConnectWiseClient } from './connectwise/index.ts';
import { cwUpstreamFor } from './connectwise/sync-adapter.ts';
import { AppError } from './errors.ts';
import { type Pax8Reader, pax8UpstreamFor } from './pax8/sync-adapter.ts';
import type { ApiContext } from './routes/deps.ts';
import type { Session } from './session/jwt.ts';
import type { Repositories, Tenant } from './store/index.ts';
import { syncStoreFor } from './store/sync-store.ts';
import type { SyncStore, SyncUpstream } from './sync/ports.ts';
import type { ViewUpstream } from './sync/view.ts';
import {
  CLIENT_CACHE_MAX,
  type ClientCache,
  createClientCache,
  type TenantClients,
} from './tenant-clients.ts';

export type SyncContext = {
  tenant: Tenant;
  repos: Repositories;
  store: SyncStore;
  upstream: SyncUpstream & ViewUpstream;
  cw: ConnectWiseClient;
  pax8: TenantClients['pax8'];
};

/** One client cache per API context (one per app): clients, and so Pax8 tokens, outlive the request. */
const caches = new WeakMap<ApiContext, ClientCache>();

export function clientCacheOf(deps: ApiContext): ClientCache {
  let cache = caches.get(deps);
  if (!cache) {
    cache = createClientCache(deps.fetch, CLIENT_CACHE_MAX, deps.cwTimeoutMs, deps.sleep);
    caches.set(deps, cache);
  }
  return cache;
}

/** Sync's upstream port over one tenant's two clients: each half lives beside the client it adapts. */
export function syncUpstreamFor(cw: ConnectWiseClient, pax8: Pax8Reader): SyncUpstream & ViewUpstream {
  return { ...cwUpstreamFor(cw), ...pax8UpstreamFor(pax8) };
}

export async function syncContextOf(deps: ApiContext, session: Session): Promise<SyncContext> {
  return tenantSyncContext(deps, session.tenantId);
}

/** The same wiring without a request: the bulk job runner works for a tenant, not a session. */
export async function tenantSyncContext(deps: ApiContext, tenantId: string): Promise<SyncContext> {
  const repos = deps.repos;
  const found = await repos.tenants.withSecrets(tenantId);
  if (!found) throw new AppError('unauthorized', 'The tenant of this session no longer exists');
  const { tenant, secrets } = found;
  const { cw, pax8 } = clientCacheOf(deps).get(tenant, secrets);
  return {
    tenant,
    repos,
    store: syncStoreFor(repos, tenant.id, deps.now),
    upstream: syncUpstreamFor(cw, pax8),
    cw,
    pax8,
  };
}
