// The pod's client for our own /api: bearer token on every call, JSON error bodies turned into typed
// errors, and one re-sign-in when a token is refused (it may simply have expired).
import * as v from 'valibot';

export type ApiErrorCode = 'network' | 'bad-response' | (string & {});

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  /** The error body's details, when the server sent any (e.g. when to retry). */
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

const ErrorBodySchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), details: v.optional(v.unknown()) }),
});

export type ApiOptions = {
  baseUrl: string;
  getToken: () => string | undefined;
  /** Signs in again after a 401; returns the new token (or undefined when that failed). */
  renewToken?: () => Promise<string | undefined>;
  fetch?: typeof fetch;
};

export type RequestOptions<T> = {
  body?: unknown;
  schema?: v.GenericSchema<unknown, T>;
  /** false for the calls made before there is a session (sign-in, pod config). */
  auth?: boolean;
  /** The answer's text as is (a CSV export), not parsed as JSON. */
  text?: boolean;
};

export type Api = {
  request<T = unknown>(method: string, path: string, options?: RequestOptions<T>): Promise<T>;
  get<T = unknown>(path: string, schema?: v.GenericSchema<unknown, T>): Promise<T>;
  post<T = unknown>(path: string, body: unknown, schema?: v.GenericSchema<unknown, T>): Promise<T>;
};

export function createApi(opts: ApiOptions): Api {
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = opts.baseUrl.replace(/\/$/, '');

  const send = async (method: string, path: string, body: unknown, token: string | undefined) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    try {
      return await doFetch(`${base}${path}`, init);
    } catch (err) {
      throw new ApiError(
        'network',
        `Cannot reach the server (${err instanceof Error ? err.message : err})`,
        0,
      );
    }
  };

  const request = async <T>(method: string, path: string, options: RequestOptions<T> = {}): Promise<T> => {
    const auth = options.auth ?? true;
    let res = await send(method, path, options.body, auth ? opts.getToken() : undefined);
    if (res.status === 401 && auth && opts.renewToken) {
      const token = await opts.renewToken();
      if (token) res = await send(method, path, options.body, token);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const body = v.safeParse(ErrorBodySchema, json);
      if (body.success) {
        const { code, message, details } = body.output.error;
        throw new ApiError(code, message, res.status, details);
      }
      throw new ApiError('bad-response', `The server answered ${res.status}`, res.status);
    }
    if (options.text) return text as T;
    if (!options.schema) return json as T;
    const parsed = v.safeParse(options.schema, json);
    if (!parsed.success) throw new ApiError('bad-response', `Unexpected answer from ${path}`, res.status);
    return parsed.output;
  };

  return {
    request,
    get: (path, schema) => request('GET', path, schema ? { schema } : {}),
    post: (path, body, schema) => request('POST', path, schema ? { body, schema } : { body }),
  };
}
