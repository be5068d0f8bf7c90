// A small JSON-lines logger. Never pass secrets: fields named like secrets are masked anyway. Every line
// written while a request runs carries that request's id (an AsyncLocalStorage set by the app's middleware).
import { AsyncLocalStorage } from 'node:async_hooks';

export type Logger = {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

const secretKey = /secret|password|privatekey|private_key|token|hash|authorization|apikey/i;

/** Masks every field named like a secret, at any depth (objects and arrays). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = secretKey.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` (a request's handling) so that every log line written inside it names `requestId`. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

/** The id of the request being handled, if any. */
export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId;

export function createLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg,
        ...(redact(fields) as Record<string, unknown>),
        ...requestIdField(),
      }),
    );
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function requestIdField(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
