// A small JSON-lines logger. Never pass secrets: fields named like secrets are masked anyway.
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

export function createLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg,
        ...(redact(fields) as Record<string, unknown>),
      }),
    );
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
