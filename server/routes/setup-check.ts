// The live connection test behind /setup: find the company, sign in with the keys, probe each resource
// the product uses, get a Pax8 token. Each failure gets its own message naming what to fix.
import {
  type ConnectWiseClient,
  type ConnectWiseTarget,
  companyInfo,
  isConnectWiseError,
} from '../connectwise/index.ts';
import { isAppError } from '../errors.ts';
import { outboundRefusalOf } from '../http/outbound-guard.ts';

export type Check = { id: string; label: string; ok: boolean; message: string };

export type ConnectionTarget = {
  /** Where /login/companyinfo/{id} answers: the UI host (cloud, self-hosted) or the emulator root. */
  infoSiteUrl: string;
  /** The normalised site the tenant is found by (host[:port]). */
  site: string;
  cw: ConnectWiseTarget;
};

export type ConnectionTestDeps = {
  fetch: typeof fetch;
  cw: ConnectWiseClient;
  /** Gets a Pax8 token with the given credentials; throws (upstream_auth…) when Pax8 refuses. */
  pax8Token: () => Promise<unknown>;
};

export type ConnectionResult = { ok: boolean; checks: Check[]; companyName: string | null };

/** Security-role areas an admin must grant, by probed resource. */
const probes = [
  { resource: 'company/companies', area: 'Companies › Company Maintenance (Inquire)' },
  { resource: 'procurement/catalog', area: 'Procurement › Product Catalog (Inquire, Add, Edit)' },
  { resource: 'finance/agreements', area: 'Finance › Agreements (Inquire, Edit)' },
  { resource: 'finance/agreements/{id}/additions', area: 'Finance › Agreements (additions: Add, Edit)' },
  { resource: 'system/connectwisehostedsetups', area: 'System › Table Setup (Manage Hosted API)' },
] as const;

/**
 * Why a call failed, in our words. The setup test runs before anyone is signed in, against a URL the caller
 * chose, so nothing the upstream said (its body, its messages, its field values) is repeated: only its
 * HTTP status, or that it did not answer, or why we refused to connect.
 */
export function reason(error: unknown): string {
  const refused = outboundRefusalOf(error);
  if (refused) return refused.message;
  const status = isConnectWiseError(error)
    ? error.upstreamStatus
    : isAppError(error)
      ? (error.details as { upstreamStatus?: number } | undefined)?.upstreamStatus
      : undefined;
  if (status !== undefined) return `it answered HTTP ${status}`;
  if (isConnectWiseError(error) && error.kind === 'bad_response')
    return 'its answer was not what ConnectWise sends';
  if (isConnectWiseError(error) && error.kind === 'timeout') return 'it did not answer in time';
  return isAppError(error) && error.code === 'upstream_unavailable' ? 'no answer' : 'unexpected error';
}

export async function testConnection(
  companyId: string,
  target: ConnectionTarget,
  deps: ConnectionTestDeps,
): Promise<ConnectionResult> {
  const checks: Check[] = [];
  const pass = (id: string, label: string, message: string) => checks.push({ id, label, ok: true, message });
  const fail = (id: string, label: string, message: string) => checks.push({ id, label, ok: false, message });
  let companyName: string | null = null;

  // 1. The site knows the company (and answers at all).
  try {
    const info = await companyInfo(target.infoSiteUrl, companyId, deps.fetch);
    companyName = info.CompanyName ?? null;
    pass('cw-company', 'ConnectWise company', `Found company '${companyId}' at ${target.site}`);
  } catch (error) {
    const kind = isConnectWiseError(error) ? error.kind : null;
    if (outboundRefusalOf(error)) {
      fail('cw-company', 'ConnectWise company', `Not connecting to ConnectWise: ${reason(error)}.`);
    } else if (kind === 'unknown_company') {
      fail(
        'cw-company',
        'ConnectWise company',
        `ConnectWise at ${target.site} does not know the company ID '${companyId}'. Use the company you log in with.`,
      );
    } else if (kind === 'unreachable') {
      fail(
        'cw-company',
        'ConnectWise company',
        `Could not reach ConnectWise at ${target.infoSiteUrl}. Check the URL, and that your firewall lets this server in.`,
      );
    } else {
      fail(
        'cw-company',
        'ConnectWise company',
        `${target.infoSiteUrl} did not answer like ConnectWise: ${reason(error)}`,
      );
    }
  }

  // 2. The keys sign in (with the clientId).
  let signedIn = false;
  if (checks.every((c) => c.ok)) {
    try {
      await deps.cw.systemInfo();
      signedIn = true;
      pass('cw-keys', 'API keys', 'Signed in to ConnectWise');
    } catch (error) {
      const kind = isConnectWiseError(error) ? error.kind : null;
      const message =
        kind === 'auth'
          ? `ConnectWise rejected the public/private key pair for company '${companyId}'. Copy both keys again from the API member (System › Members › API Members › API Keys).`
          : kind === 'client_id'
            ? 'ConnectWise refused the Client ID. Create one at developer.connectwise.com (ClientID) and paste it here.'
            : outboundRefusalOf(error)
              ? `Not connecting to ConnectWise: ${reason(error)}.`
              : kind === 'unreachable' || kind === 'timeout'
                ? `Could not reach the ConnectWise API at ${target.site}.`
                : `ConnectWise refused the sign-in: ${reason(error)}`;
      fail('cw-keys', 'API keys', message);
    }
  }

  // 3. The API member's security role covers every resource the product uses.
  if (signedIn) {
    let agreementId: number | null = null;
    for (const probe of probes) {
      const label = `Permission: ${probe.resource}`;
      try {
        if (probe.resource === 'finance/agreements/{id}/additions') {
          if (agreementId === null) {
            pass(probe.resource, label, 'Not checked: there is no agreement yet');
            continue;
          }
          await deps.cw.additions.count(agreementId);
        } else {
          const rows = await deps.cw.request('GET', probe.resource, { query: { pageSize: 1 } });
          if (probe.resource === 'finance/agreements' && Array.isArray(rows)) {
            const first = rows[0] as { id?: unknown } | undefined;
            if (typeof first?.id === 'number') agreementId = first.id;
          }
        }
        pass(probe.resource, label, 'Allowed');
      } catch (error) {
        const forbidden = isConnectWiseError(error) && error.kind === 'forbidden';
        fail(
          probe.resource,
          label,
          forbidden
            ? `The API member's security role is missing permission for ${probe.resource}: grant ${probe.area} in System › Security Roles.`
            : `Could not read ${probe.resource}: ${reason(error)}`,
        );
      }
    }
  }

  // 4. Pax8 gives a token (independent of ConnectWise, so always tried).
  try {
    await deps.pax8Token();
    pass('pax8', 'Pax8 API', 'Pax8 issued an access token');
  } catch (error) {
    const code = isAppError(error) ? error.code : null;
    fail(
      'pax8',
      'Pax8 API',
      code === 'upstream_auth'
        ? 'Pax8 rejected the client ID / client secret. Create an API app in Pax8 (Integrations › API Credentials) and paste its ID and secret.'
        : `Could not get a Pax8 token: ${reason(error)}`,
    );
  }

  return { ok: checks.every((c) => c.ok), checks, companyName };
}
