// The transport under the ConnectWise client: auth headers, timeout, retries, error mapping, schema checks.
// A thin layer over `fetch` rather than ofetch: we need the response headers of every page (Link), a
// Retry-After that is honoured per response with an injectable sleep, and a retry rule that looks at
// the PATCH body. Each of those fights ofetch's defaults more than these ~150 lines do.
import * as v from 'valibot';
import { createSingleFlight } from '../http/single-flight.ts';
import { issuesOf } from '../http/validate.ts';
import { ConnectWiseError, errorFromResponse, resourceOf } from './errors.ts';

export type ConnectWiseAuth =
  | { kind: 'apiKey'; publicKey: string; privateKey: string }
  | { kind: 'member'; memberId: string; memberHash: string };

export type Query = Record<string, string | number | boolean | undefined>;
export type SendOptions = { query?: Query; body?: unknown; headers?: Record<string, string> };
export type RawResponse = { status: number; headers: Headers; body: unknown };

export type TransportOptions = {
  companyId: string;
  auth: ConnectWiseAuth;
  clientId: string;
  fetch: typeof fetch;
  /** Resolves the API base URL once (self-hosted sites discover their codebase). */
  base: () => Promise<string>;
  timeoutMs: number;
  retries: number;
  sleep: (ms: number) => Promise<void>;
};

export type Transport = {
  send(method: string, pathOrUrl: string, options?: SendOptions): Promise<RawResponse>;
  base(): Promise<string>;
};

/** Longer waits than this are not slept through inside a user's request: the 429 is returned instead. */
export const maxRetryAfterMs = 30_000;
const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8_000);

export function basicAuth(companyId: string, auth: ConnectWiseAuth): string {
  const [user, secret] =
    auth.kind === 'apiKey' ? [auth.publicKey, auth.privateKey] : [auth.memberId, auth.memberHash];
  return `Basic ${Buffer.from(`${companyId}+${user}:${secret}`, 'utf8').toString('base64')}`;
}

/**
 * GET, PUT and DELETE are idempotent. PATCH is retried only when every op is `replace` (what this
 * product sends for additions: setting a field twice leaves the same record). POST is never retried:
 * a lost 201 would create a duplicate addition, so retrying a POST is the sync journal's job.
 */
export function isRetryable(method: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE') return true;
  if (method !== 'PATCH' || !Array.isArray(body) || body.length === 0) return false;
  return body.every(
    (op) => typeof op === 'object' && op !== null && (op as { op?: unknown }).op === 'replace',
  );
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

export function buildUrl(base: string, pathOrUrl: string, query: Query = {}): string {
  const url = /^https?:\/\//.test(pathOrUrl)
    ? new URL(pathOrUrl)
    : new URL(`${base}/${pathOrUrl.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export function createTransport(opts: TransportOptions): Transport {
  const authorization = basicAuth(opts.companyId, opts.auth);

  async function once(method: string, url: string, path: string, options: SendOptions): Promise<RawResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization,
        clientId: opts.clientId,
        ...options.headers,
      };
      const init: RequestInit = { method, headers, signal: controller.signal };
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(options.body);
      }
      const res = await opts.fetch(url, init);
      const text = await res.text();
      let body: unknown = null;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch (cause) {
          if (res.ok) {
            throw new ConnectWiseError(
              'bad_response',
              'upstream_unavailable',
              `ConnectWise answered ${method} ${resourceOf(path)} with a body that is not JSON (HTTP ${res.status})`,
              { upstreamStatus: res.status, cause },
            );
          }
          body = text;
        }
      }
      return { status: res.status, headers: res.headers, body };
    } catch (cause) {
      if (cause instanceof ConnectWiseError) throw cause;
      if (controller.signal.aborted) {
        throw new ConnectWiseError(
          'timeout',
          'upstream_unavailable',
          `ConnectWise did not answer ${method} ${resourceOf(path)} within ${opts.timeoutMs} ms`,
          { cause },
        );
      }
      throw new ConnectWiseError('unreachable', 'upstream_unavailable', 'ConnectWise host unreachable', {
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  // Identical GETs in flight share one call (and its retries): a burst of the same view asks ConnectWise once.
  const gets = createSingleFlight<RawResponse>();

  async function send(method: string, pathOrUrl: string, options: SendOptions = {}): Promise<RawResponse> {
    const base = await opts.base();
    const url = sameOrigin(base, buildUrl(base, pathOrUrl, options.query));
    const path = url.startsWith(base) ? url.slice(base.length) : new URL(url).pathname;
    const retryable = isRetryable(method, options.body);
    let ambiguous = false; // a previous attempt may have reached the server
    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < opts.retries;
      let res: RawResponse;
      try {
        res = await once(method, url, path, options);
      } catch (error) {
        if (!canRetry || !(error instanceof ConnectWiseError) || error.kind === 'bad_response') throw error;
        ambiguous = true;
        await opts.sleep(backoffMs(attempt));
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res;
      if (method === 'DELETE' && res.status === 404 && ambiguous) return { ...res, status: 204, body: null };
      if (canRetry && (res.status === 429 || res.status >= 500)) {
        const wait =
          res.status === 429 || res.status === 503
            ? (retryAfterMs(res.headers) ?? backoffMs(attempt))
            : backoffMs(attempt);
        if (wait <= maxRetryAfterMs) {
          ambiguous ||= res.status >= 500;
          await opts.sleep(wait);
          continue;
        }
      }
      const error = errorFromResponse(method, path, res.status, res.body, opts.auth.kind);
      if (res.status === 429 || res.status === 503) error.retryAfterMs = retryAfterMs(res.headers);
      throw error;
    }
  }

  return {
    base: opts.base,
    send(method, pathOrUrl, options = {}) {
      if (method !== 'GET' || options.body !== undefined) return send(method, pathOrUrl, options);
      const key = JSON.stringify([pathOrUrl, options.query ?? {}, options.headers ?? {}]);
      return gets.run(key, () => send(method, pathOrUrl, options));
    },
  };
}

/** Next-page links point at the API host; never send our credentials anywhere else. */
function sameOrigin(base: string, url: string): string {
  const want = new URL(base);
  const got = new URL(url);
  if (got.origin === want.origin) return url;
  got.protocol = want.protocol;
  got.host = want.host;
  return got.toString();
}

/** Validates an upstream body; a mismatch is a typed error naming the first bad field. */
export function parseBody<S extends v.GenericSchema>(
  schema: S,
  body: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issues = issuesOf(result.issues);
  const first = issues[0];
  throw new ConnectWiseError(
    'bad_response',
    'upstream_unavailable',
    `ConnectWise answered ${what} with an unexpected body${first ? ` (${first.path}: ${first.message})` : ''}`,
    { cause: issues },
  );
}
