// Upstream failures as AppErrors that keep the cause, the HTTP status and CW's own code and field errors.
// Messages never contain credentials: only the method, the resource path and CW's message.
import type { ErrorCode } from '../errors.ts';
import { AppError } from '../errors.ts';

export type ConnectWiseErrorKind =
  | 'auth'
  | 'client_id'
  | 'forbidden'
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'unreachable'
  | 'bad_response'
  | 'unknown_company';

export type CwFieldError = { code?: string; message?: string; resource?: string; field?: string };

export class ConnectWiseError extends AppError {
  readonly kind: ConnectWiseErrorKind;
  /** A 429 or 503's Retry-After, when it was longer than a call sleeps through (a job waits it out). */
  retryAfterMs: number | undefined;
  /** ConnectWise's HTTP status, when it answered (AppError.status is ours). */
  readonly upstreamStatus: number | undefined;
  readonly cwCode: string | undefined;
  readonly errors: readonly CwFieldError[];

  constructor(
    kind: ConnectWiseErrorKind,
    code: ErrorCode,
    message: string,
    extra: { upstreamStatus?: number; cwCode?: string; errors?: CwFieldError[]; cause?: unknown } = {},
  ) {
    const details = extra.errors?.length ? { errors: extra.errors } : undefined;
    super(code, message, { details, cause: extra.cause });
    this.name = 'ConnectWiseError';
    this.retryAfterMs = undefined;
    this.kind = kind;
    this.upstreamStatus = extra.upstreamStatus;
    this.cwCode = extra.cwCode;
    this.errors = extra.errors ?? [];
  }
}

export const isConnectWiseError = (e: unknown): e is ConnectWiseError => e instanceof ConnectWiseError;

/** `finance/agreements/12/additions/3` → `finance/agreements/{id}/additions/{id}`: names the resource, not the row. */
export function resourceOf(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? '{id}' : s))
    .join('/');
}

type ErrorBody = { code?: unknown; message?: unknown; errors?: unknown };

function fieldErrors(value: unknown): CwFieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const out: CwFieldError = {};
    for (const key of ['code', 'message', 'resource', 'field'] as const) {
      const v = (e as Record<string, unknown>)[key];
      if (typeof v === 'string') out[key] = v;
    }
    return [out];
  });
}

/** Turns a non-2xx ConnectWise answer into a typed error. `body` is the parsed JSON, or the text. */
export function errorFromResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  authKind: 'apiKey' | 'member',
): ConnectWiseError {
  const b: ErrorBody = typeof body === 'object' && body !== null ? (body as ErrorBody) : {};
  const cwCode = typeof b.code === 'string' ? b.code : undefined;
  const cwMessage = typeof b.message === 'string' ? b.message.slice(0, 300) : '';
  const errors = fieldErrors(b.errors);
  const resource = resourceOf(path);
  const extra = { upstreamStatus: status, ...(cwCode ? { cwCode } : {}), errors };
  const what = `${method} ${resource}`;
  if (status === 401) {
    if (/clientid/i.test(cwMessage)) {
      return new ConnectWiseError(
        'client_id',
        'upstream_auth',
        'ConnectWise requires a valid clientId',
        extra,
      );
    }
    const who = authKind === 'apiKey' ? 'the API keys' : 'the member credentials';
    return new ConnectWiseError('auth', 'upstream_auth', `ConnectWise rejected ${who}`, extra);
  }
  if (status === 403) {
    return new ConnectWiseError(
      'forbidden',
      'upstream_rejected',
      `The ConnectWise API member is missing permission for ${resource} (${method})`,
      extra,
    );
  }
  if (status === 404) {
    return new ConnectWiseError('not_found', 'not_found', `ConnectWise has no ${resource}`, extra);
  }
  if (status === 409) {
    return new ConnectWiseError('conflict', 'conflict', `ConnectWise reports a conflict on ${what}`, extra);
  }
  if (status === 429) {
    return new ConnectWiseError(
      'rate_limited',
      'rate_limited',
      `ConnectWise is rate limiting ${what}`,
      extra,
    );
  }
  if (status >= 500) {
    return new ConnectWiseError(
      'server',
      'upstream_unavailable',
      `ConnectWise failed on ${what} (HTTP ${status})`,
      extra,
    );
  }
  const fields = errors.map((e) => e.message ?? e.field ?? e.code).filter(Boolean);
  const detail = fields.length > 0 ? fields.join('; ') : cwMessage || `HTTP ${status}`;
  return new ConnectWiseError(
    'invalid',
    'upstream_rejected',
    `ConnectWise rejected ${what}: ${detail}`,
    extra,
  );
}
