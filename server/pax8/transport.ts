// The transport under the Pax8 client: bearer token, timeout, retries and the mapping of Pax8's
// answers to AppError codes. A thin layer over `fetch` (like the ConnectWise one) because the retry
// rule needs Retry-After per response, an injectable sleep, and a token refresh on 401.
import * as v from 'valibot';
import { AppError, type ErrorCode } from '../errors.ts';
import { createSingleFlight } from '../http/single-flight.ts';
import { issuesOf } from '../http/validate.ts';
import { ErrorBodySchema, TokenResponseSchema } from './schemas.ts';
import { createTokenCache } from './token.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export type TransportOptions = {
  baseURL: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  retries: number;
  timeoutMs: number;
};

export type Transport = {
  request<S extends v.GenericSchema>(
    method: string,
    path: string,
    schema: S,
    options?: { query?: Query; body?: unknown },
  ): Promise<v.InferOutput<S>>;
  /** For endpoints that answer 204 with no body. */
  requestEmpty(
    method: string,
    path: string,
    options?: { query?: Query; acceptAfterUncertain?: Accept },
  ): Promise<void>;
  /** A valid access token (the cached one, or one new token request). */
  token(): Promise<string>;
};

type Raw = { status: number; headers: Headers; body: unknown };

/**
 * Decides whether a refusal of a retry is the first attempt's success showing through (e.g. a DELETE retried
 * after a lost answer finds the subscription already cancelled). Asked only after an uncertain attempt.
 */
export type Accept = (status: number, message: string | undefined) => boolean;

/** Longer Retry-After waits than this are not slept through: the call fails instead. */
export const maxRetryAfterMs = 30_000;
const backoffMs = (attempt: number) => 1000 * 2 ** attempt;
/** POST /orders creates subscriptions; a retry after a lost answer could order twice. */
const isIdempotent = (method: string) => method === 'GET' || method === 'PUT' || method === 'DELETE';

export const PAX8_AUDIENCE = 'https://api.pax8.com';

export function createTransport(opts: TransportOptions): Transport {
  const base = opts.baseURL.replace(/\/+$/, '');

  async function once(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Raw> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    const what = `${method} ${new URL(url).pathname}`;
    try {
      const init: RequestInit = {
        method,
        headers: { accept: 'application/json', ...headers },
        signal: controller.signal,
      };
      if (body !== undefined) {
        init.headers = { ...init.headers, 'content-type': 'application/json' };
        init.body = JSON.stringify(body);
      }
      const res = await opts.fetch(url, init);
      const text = await res.text();
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (res.ok)
            throw new AppError('upstream_unavailable', `Pax8 answered ${what} with a body that is not JSON`);
          parsed = text;
        }
      }
      return { status: res.status, headers: res.headers, body: parsed };
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      const message = controller.signal.aborted
        ? `Pax8 did not answer ${what} within ${opts.timeoutMs} ms`
        : `Pax8 is unreachable (${what})`;
      throw new AppError('upstream_unavailable', message, { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends with retries on 429, 5xx and network failures, for retryable calls only. `uncertain` is set when an
   * attempt before the last may have taken effect upstream (no answer, or a 5xx); a 429 never did.
   */
  async function withRetries(
    retryable: boolean,
    send: () => Promise<Raw>,
    uncertain: { value: boolean } = { value: false },
  ): Promise<Raw> {
    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < opts.retries;
      let res: Raw;
      try {
        res = await send();
      } catch (error) {
        if (!canRetry) throw error;
        uncertain.value = true;
        await opts.sleep(backoffMs(attempt));
        continue;
      }
      if (!canRetry || (res.status !== 429 && res.status < 500)) return res;
      if (res.status >= 500) uncertain.value = true;
      const wait =
        res.status === 429 ? (retryAfterMs(res.headers) ?? (attempt + 1) * 1000) : backoffMs(attempt);
      if (wait > maxRetryAfterMs) return res;
      await opts.sleep(wait);
    }
  }

  const tokens = createTokenCache(async () => {
    const res = await withRetries(true, () =>
      once(
        'POST',
        `${base}/token`,
        {},
        {
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          audience: PAX8_AUDIENCE,
          grant_type: 'client_credentials',
        },
      ),
    );
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new AppError(
        'upstream_auth',
        'Pax8 rejected the API credentials: check the client ID and secret',
        {
          details: { upstreamStatus: res.status },
        },
      );
    }
    if (res.status < 200 || res.status >= 300) throw failure('POST /token', res);
    const grant = parse(TokenResponseSchema, res.body, 'token response');
    return { accessToken: grant.access_token, expiresInSeconds: grant.expires_in };
  }, opts.now);

  async function send(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; acceptAfterUncertain?: Accept } = {},
  ): Promise<Raw> {
    const url = buildUrl(base, path, options.query);
    const what = `${method} ${path}`;
    let refreshed = false;
    const uncertain = { value: false };
    for (;;) {
      const token = await tokens.get();
      const res = await withRetries(
        isIdempotent(method),
        () => once(method, url, { authorization: `Bearer ${token}` }, options.body),
        uncertain,
      );
      if (res.status === 401 && !refreshed) {
        // A token revoked or expired early: get a new one and try once more.
        tokens.invalidate(token);
        refreshed = true;
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res;
      if (uncertain.value && options.acceptAfterUncertain?.(res.status, messageOf(res.body))) return res;
      throw failure(what, res);
    }
  }

  // Identical GETs in flight share one call (and its retries); each caller parses the shared raw answer.
  const gets = createSingleFlight<Raw>();
  const sendShared = (method: string, path: string, options: { query?: Query; body?: unknown } = {}) =>
    method === 'GET' && options.body === undefined
      ? gets.run(buildUrl(base, path, options.query), () => send(method, path, options))
      : send(method, path, options);

  return {
    async request(method, path, schema, options) {
      const res = await sendShared(method, path, options);
      return parse(schema, res.body, `answer to ${method} ${path.split('?')[0]}`);
    },
    async requestEmpty(method, path, options) {
      await send(method, path, options);
    },
    token: () => tokens.get(),
  };
}

export function buildUrl(base: string, path: string, query: Query = {}): string {
  const url = new URL(`${base}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

export function parse<S extends v.GenericSchema>(schema: S, body: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issues = issuesOf(result.issues);
  const first = issues[0];
  throw new AppError(
    'upstream_rejected',
    `Pax8 sent an unexpected ${what}${first ? `: ${first.path}: ${first.message}` : ''}`,
    { details: issues.slice(0, 10) },
  );
}

/** Pax8's own message (and detail messages) when the body has them; never the request's secrets. */
function messageOf(body: unknown): string | undefined {
  const parsed = v.safeParse(ErrorBodySchema, body);
  if (!parsed.success) return typeof body === 'string' && body.length < 300 ? body : undefined;
  const { message, error_description, detail, error, details } = parsed.output;
  const main = message ?? error_description ?? detail ?? error;
  const more = (details ?? []).flatMap((d) => (d.message ? [d.message] : []));
  return [main, ...more].filter(Boolean).join(': ') || undefined;
}

function failure(what: string, res: Raw): AppError {
  const upstream = messageOf(res.body);
  const says = upstream ? `: ${upstream}` : '';
  const details = { upstreamStatus: res.status };
  let code: ErrorCode = 'upstream_rejected';
  if (res.status === 401) code = 'upstream_auth';
  else if (res.status === 404) code = 'not_found';
  else if (res.status === 429 || res.status >= 500) code = 'upstream_unavailable';
  const lead =
    code === 'upstream_unavailable'
      ? `Pax8 is unavailable (HTTP ${res.status} on ${what})`
      : `Pax8 refused ${what} (HTTP ${res.status})`;
  return new AppError(code, `${lead}${says}`, { details });
}
