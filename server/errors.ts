// The one error family of the server: a literal code, an HTTP status, and the upstream cause kept.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'sign_in_failed'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'plan_expired'
  | 'agreement_changed'
  | 'write_outcome_unknown'
  | 'billed_on_other_agreement'
  | 'seat_change_refused'
  | 'limit_exceeded'
  | 'upstream_auth'
  | 'upstream_rejected'
  | 'upstream_unavailable'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_configured'
  | 'internal';

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  sign_in_failed: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  plan_expired: 410,
  agreement_changed: 409,
  write_outcome_unknown: 409,
  billed_on_other_agreement: 409,
  seat_change_refused: 422,
  limit_exceeded: 400,
  upstream_auth: 502,
  upstream_rejected: 502,
  upstream_unavailable: 503,
  payload_too_large: 413,
  rate_limited: 429,
  not_configured: 409,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf[code];
    this.details = options.details;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
