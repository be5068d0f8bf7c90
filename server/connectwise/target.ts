// Where a ConnectWise company's REST API lives: a cloud region, a self-hosted site (codebase discovered
// through /login/companyinfo), or an explicit base URL (the sandbox, tests).
import * as v from 'valibot';
import { ConnectWiseError } from './errors.ts';

export type CloudRegion = 'na' | 'eu' | 'au' | 'staging';

export type ConnectWiseTarget = { region: CloudRegion } | { siteUrl: string } | { apiBaseUrl: string };

/**
 * Cloud API hosts (reference §3.1). Australia is `api-au` per DJCW and Nango; `api-aus`/`aus-api` are
 * also reported, so a tenant on another host should use `{ apiBaseUrl }`.
 */
export const cloudApiHosts: Record<CloudRegion, string> = {
  na: 'api-na.myconnectwise.net',
  eu: 'api-eu.myconnectwise.net',
  au: 'api-au.myconnectwise.net',
  staging: 'api-staging.connectwisedev.com',
};

/** Accepted on every cloud host (NPMCW's default entry point). */
export const cloudCodebase = 'v4_6_release/';

export const CompanyInfoSchema = v.object({
  CompanyName: v.optional(v.string()),
  Codebase: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+\/?$/, 'Codebase must be one path segment')),
  VersionCode: v.optional(v.string()),
  VersionNumber: v.optional(v.string()),
  CompanyID: v.optional(v.string()),
  IsCloud: v.optional(v.boolean()),
});
export type CompanyInfo = v.InferOutput<typeof CompanyInfoSchema>;

const trimSlashes = (url: string) => url.replace(/\/+$/, '');

export function apiBaseFor(siteUrl: string, codebase: string): string {
  const cb = codebase.endsWith('/') ? codebase : `${codebase}/`;
  return `${trimSlashes(siteUrl)}/${cb}apis/3.0`;
}

/** The base URL when it is known without a network call; null for a self-hosted site. */
export function staticApiBase(target: ConnectWiseTarget): string | null {
  if ('apiBaseUrl' in target) return trimSlashes(target.apiBaseUrl);
  if ('region' in target) return apiBaseFor(`https://${cloudApiHosts[target.region]}`, cloudCodebase);
  return null;
}

/** GET {site}/login/companyinfo/{companyId} → the codebase, e.g. 'v2025_1/'. Needs no credentials. */
export async function discoverCodebase(
  siteUrl: string,
  companyId: string,
  fetchFn: typeof fetch,
  timeoutMs = 20_000,
): Promise<string> {
  const info = await companyInfo(siteUrl, companyId, fetchFn, timeoutMs);
  return info.Codebase.endsWith('/') ? info.Codebase : `${info.Codebase}/`;
}

export async function companyInfo(
  siteUrl: string,
  companyId: string,
  fetchFn: typeof fetch,
  timeoutMs = 20_000,
): Promise<CompanyInfo> {
  const url = `${trimSlashes(siteUrl)}/login/companyinfo/${encodeURIComponent(companyId)}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(url, { headers: { accept: 'application/json' }, signal: controller.signal });
    text = await res.text();
  } catch (cause) {
    const timedOut = controller.signal.aborted;
    const message = timedOut
      ? `ConnectWise did not answer login/companyinfo within ${timeoutMs} ms`
      : 'ConnectWise host unreachable';
    throw new ConnectWiseError(timedOut ? 'timeout' : 'unreachable', 'upstream_unavailable', message, {
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new ConnectWiseError(
      'bad_response',
      'upstream_unavailable',
      `This site did not answer like ConnectWise (login/companyinfo returned HTTP ${res.status}, not JSON)`,
      { upstreamStatus: res.status, cause },
    );
  }
  if (body === null || (res.status === 404 && typeof body !== 'object')) {
    throw new ConnectWiseError(
      'unknown_company',
      'not_found',
      `ConnectWise does not know the company id "${companyId}" on this site`,
      { upstreamStatus: res.status },
    );
  }
  const parsed = v.safeParse(CompanyInfoSchema, body);
  if (!res.ok || !parsed.success) {
    throw new ConnectWiseError(
      'bad_response',
      'upstream_unavailable',
      `Unexpected answer from login/companyinfo (HTTP ${res.status})`,
      { upstreamStatus: res.status, cause: parsed.success ? undefined : parsed.issues },
    );
  }
  return parsed.output;
}
