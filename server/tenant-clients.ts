// One tenant's upstream clients, built from its stored settings and decrypted secrets, and a small cache that
// keeps them per process so the Pax8 token (cached inside its client) is fetched once per tenant, not per request.
import { createHash } from 'node:crypto';
import {
  type ConnectWiseClient,
  type ConnectWiseTarget,
  createConnectWiseClient,
} from './connectwise/index.ts';
import { createPax8Client, type Pax8Client } from './pax8/index.ts';
import type { Tenant, TenantSecrets } from './store/index.ts';

export const pax8DefaultBaseUrl = 'https://api.pax8.com/v1';

/** Where the tenant's ConnectWise REST API is: an explicit base URL, a cloud region, or the self-hosted site. */
export function cwTargetOf(tenant: Pick<Tenant, 'cwApiBaseUrl' | 'cwRegion' | 'cwSite'>): ConnectWiseTarget {
  if (tenant.cwApiBaseUrl) return { apiBaseUrl: tenant.cwApiBaseUrl };
  switch (tenant.cwRegion) {
    case 'na':
    case 'eu':
    case 'au':
    case 'staging':
      return { region: tenant.cwRegion };
    case 'sandbox':
      return { siteUrl: `http://${tenant.cwSite}` };
    default:
      return { siteUrl: `https://${tenant.cwSite}` };
  }
}

export type TenantClients = { cw: ConnectWiseClient; pax8: Pax8Client };

export function clientsFor(
  tenant: Tenant,
  secrets: TenantSecrets,
  fetch: typeof globalThis.fetch,
  /** ConnectWise's per-request timeout; the client's default (20 s) when absent. */
  cwTimeoutMs?: number,
  /** How both clients wait out a Retry-After or a backoff; real timers when absent (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>,
): TenantClients {
  const slept = sleep === undefined ? {} : { sleep };
  const cw = createConnectWiseClient({
    ...(cwTimeoutMs === undefined ? {} : { timeoutMs: cwTimeoutMs }),
    ...slept,
    ...cwTargetOf(tenant),
    companyId: tenant.cwCompanyId,
    clientId: tenant.cwClientId,
    auth: { kind: 'apiKey', publicKey: tenant.cwPublicKey, privateKey: secrets.cwPrivateKey },
    fetch,
  });
  const pax8 = createPax8Client({
    baseURL: tenant.pax8ApiBaseUrl ?? pax8DefaultBaseUrl,
    clientId: tenant.pax8ClientId,
    clientSecret: secrets.pax8ClientSecret,
    fetch,
    ...slept,
  });
  return { cw, pax8 };
}

export type ClientCache = {
  /** The tenant's clients: built on first use, rebuilt when the tenant's settings change (updatedAt). */
  get(tenant: Tenant, secrets: TenantSecrets): TenantClients;
  readonly size: number;
};

/** Tenants kept by default: each entry is two small client objects and one token. */
export const CLIENT_CACHE_MAX = 200;

/**
 * What the clients are built from: updatedAt (bumped by every setup save) plus the connection fields and a
 * digest of the secrets, so a change within the same millisecond (a fixed test clock) also rebuilds them.
 */
function versionOf(tenant: Tenant, secrets: TenantSecrets): string {
  const { updatedAt, cwSite, cwCompanyId, cwRegion, cwApiBaseUrl, cwClientId, cwPublicKey } = tenant;
  const { pax8ClientId, pax8ApiBaseUrl } = tenant;
  return createHash('sha256')
    .update(
      JSON.stringify([
        updatedAt,
        cwSite,
        cwCompanyId,
        cwRegion,
        cwApiBaseUrl,
        cwClientId,
        cwPublicKey,
        pax8ClientId,
        pax8ApiBaseUrl,
        secrets.cwPrivateKey,
        secrets.pax8ClientSecret,
      ]),
    )
    .digest('base64url');
}

/**
 * Clients per tenant id, rebuilt when the tenant's settings or secrets change (see versionOf). Bounded: the
 * least recently used tenant is dropped first.
 */
export function createClientCache(
  fetch: typeof globalThis.fetch,
  max = CLIENT_CACHE_MAX,
  cwTimeoutMs?: number,
  sleep?: (ms: number) => Promise<void>,
): ClientCache {
  const entries = new Map<string, { version: string; clients: TenantClients }>();
  return {
    get(tenant, secrets) {
      const version = versionOf(tenant, secrets);
      const hit = entries.get(tenant.id);
      entries.delete(tenant.id);
      const entry =
        hit && hit.version === version
          ? hit
          : { version, clients: clientsFor(tenant, secrets, fetch, cwTimeoutMs, sleep) };
      entries.set(tenant.id, entry); // re-inserted last: Map order is least recently used first
      for (const oldest of entries.keys()) {
        if (entries.size <= max) break;
        entries.delete(oldest);
      }
      return entry.clients;
    },
    get size() {
      return entries.size;
    },
  };
}

/** Proves Pax8 credentials with one token request (no company paging). Bad ones throw AppError('upstream_auth'). */
export async function pax8TokenCheck(o: {
  baseURL: string | null;
  clientId: string;
  clientSecret: string;
  fetch: typeof globalThis.fetch;
}): Promise<void> {
  const pax8 = createPax8Client({
    baseURL: o.baseURL ?? pax8DefaultBaseUrl,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    fetch: o.fetch,
    retries: 0,
    timeoutMs: 15_000,
  });
  await pax8.checkCredentials();
}
