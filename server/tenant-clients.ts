// One tenant's upstream clients, built per request from its stored settings and decrypted secrets.
import { type ConnectWiseTarget, createConnectWiseClient } from './connectwise/index.ts';
import { createPax8Client } from './pax8/index.ts';
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

export function clientsFor(tenant: Tenant, secrets: TenantSecrets, fetch: typeof globalThis.fetch) {
  const cw = createConnectWiseClient({
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
  });
  return { cw, pax8 };
}

/**
 * Proves Pax8 credentials: the cheapest call that needs a token (the client keeps its token private).
 * Bad credentials throw AppError('upstream_auth').
 */
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
  await pax8.companies.all();
}
