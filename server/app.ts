// createApp(deps): the Hono app. Reads no env and opens no sockets; main.ts and tests wire the deps.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Env } from './env.ts';
import { AppError, isAppError } from './errors.ts';
import { assetsFromMemory } from './http/asset-memory.ts';
import { withInlineJson } from './http/inline-json.ts';
import { operations, requestIdOf } from './http/operations.ts';
import { metricsAllowed, retryAfterOf } from './http/ops-routes.ts';
import { baseSecurityHeaders, cspHash, setPageHeaders } from './http/security-headers.ts';
import type { Shedder } from './http/shedding.ts';
import type { Logger } from './log.ts';
import { metricsContentType, metricsText } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export type AppDeps = {
  env: Pick<Env, 'HOST_ORIGINS' | 'PUBLIC_URL' | 'SANDBOX' | 'METRICS_TOKEN'>;
  logger: Logger;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  /** Where the Vite build lives (dist/client). */
  distDir: string;
  /** Sandbox sub-apps mounted under /sandbox (emulated ConnectWise, Pax8, host page); absent in live mode. */
  sandbox?: Hono;
  /** Extra routers mounted at /api, in the order given. */
  api?: Hono;
  /**
   * The origins allowed to frame a pod or app page request: the ConnectWise UI origins of the tenant its
   * `?t=` key names (used for CSP frame-ancestors; [] → 'none'). Absent: the cloud origins and HOST_ORIGINS.
   */
  frameAncestors?: (c: Context) => Promise<string[]> | string[];
  /**
   * The pod's configuration for a pod page request (GET /api/pod-config's answer for its `?t=` key), written
   * into the page as a JSON data block; absent or null: the pod fetches it.
   */
  podConfig?: (c: Context) => Promise<{ hostOrigins: string[] } | null>;
  /** GET /ready: the store reachable and the stored secrets open (readinessOf); absent: no /ready route. */
  ready?: () => Promise<Readiness>;
  /** Load shedding (in-flight caps); absent: nothing is shed. The runtime builds one from the env. */
  shedder?: Shedder;
};

/** Whether a request URL's path is exactly /health (any query). */
function isHealthUrl(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return (
    start >= 0 && url.startsWith('/health', start) && (url.length === start + 7 || url[start + 7] === '?')
  );
}

/**
 * A request header read from Node's IncomingMessage when @hono/node-server passed it (as `env.incoming`): the
 * Request's `headers` would build a Headers object for one value. Undefined elsewhere (app.request in tests).
 */
function incomingHeaderOf(env: unknown, name: string): string | undefined {
  const incoming = (
    env as { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined
  )?.incoming;
  if (!incoming?.headers) return undefined;
  const value = incoming.headers[name];
  return typeof value === 'string' ? value : '';
}

/** Retry-After of a 503 from /ready: a load balancer probes again about this soon anyway. */
const READY_RETRY_SECONDS = 5;

/** The sandbox's emulated upstreams: not our answers (no Retry-After added) and never shed (they are upstream). */
const isEmulatedUpstream = (path: string) =>
  path.startsWith('/sandbox/cw/') || path.startsWith('/sandbox/pax8/');
/** Never shed: a load balancer must see health while the process is busy, and metrics most of all then. */
/**
 * Never shed: the probes, and the hashed assets (a file read, no store or upstream work) — a pod page served
 * while its script is refused would leave ConnectWise showing a blank frame with no message and no retry.
 */
const neverShed = (path: string) =>
  path === '/health' ||
  path === '/ready' ||
  path === '/metrics' ||
  path.startsWith('/assets/') ||
  isEmulatedUpstream(path);

export const cloudHostOrigins = [
  'https://na.myconnectwise.net',
  'https://eu.myconnectwise.net',
  'https://au.myconnectwise.net',
  'https://aus.myconnectwise.net',
  'https://za.myconnectwise.net',
  'https://staging.connectwisedev.com',
];

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    // Every answer, errors included, carries X-Request-Id (set before the handler ran): the id finds its log lines.
    if (isAppError(err)) {
      const body: { code: string; message: string; details?: unknown } = {
        code: err.code,
        message: err.message,
      };
      if (err.details !== undefined) body.details = err.details;
      if (err.status >= 500) deps.logger.warn('request failed', { path: c.req.path, code: err.code });
      const retryAfter = retryAfterOf(err.details);
      if (retryAfter !== undefined && (err.status === 429 || err.status === 503))
        c.header('Retry-After', String(retryAfter));
      return c.json({ error: body }, err.status);
    }
    if (err instanceof HTTPException && err.status === 413) {
      return c.json({ error: { code: 'payload_too_large', message: 'The request body is too large' } }, 413);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: 'bad_request', message: err.message || 'Bad request' } }, err.status);
    }
    deps.logger.error('unhandled error', { path: c.req.path, error: String(err?.stack ?? err) });
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  // GET /health answers before the router and the middleware chain (app.fetch below): a load balancer polls
  // it often, and it needs none of them (never shed, no store, no log line, not worth a latency histogram). It
  // carries the same security headers and request id as every other answer, built into the answer itself.
  // The headers as a plain record: @hono/node-server writes such an answer's headers as they are, where a
  // Headers object is built and then walked again.
  const healthHeaders: Record<string, string> = Object.fromEntries(
    baseSecurityHeaders({ live: !deps.env.SANDBOX }),
  );
  healthHeaders['Content-Type'] = 'application/json';
  const health = (givenId: string | null | undefined) => {
    const headers = { ...healthHeaders, 'X-Request-Id': requestIdOf(givenId) };
    const body = JSON.stringify({ ok: true, sandbox: deps.env.SANDBOX, time: deps.now().toISOString() });
    return new Response(body, { headers });
  };
  app.get('/health', (c) => health(c.req.header('X-Request-Id')));
  const routed = app.fetch;
  app.fetch = (request, ...rest) =>
    request.method === 'GET' && isHealthUrl(request.url)
      ? health(incomingHeaderOf(rest[0], 'x-request-id') ?? request.headers.get('X-Request-Id'))
      : routed(request, ...rest);

  // Operations first, in one middleware (server/http/operations.ts): security headers before anything answers
  // (a shed 503 carries them too; pages replace the CSP below); an id for every request (a sane incoming
  // X-Request-Id is kept, and echoed), carried by every log line written while it runs; the process's in-flight
  // cap, as early and cheap as it can be (a shed answer is counted by http_requests_shed_total, not timed);
  // metrics; Retry-After on every 429/503.
  app.use(
    '*',
    operations({
      live: !deps.env.SANDBOX,
      shedder: deps.shedder,
      neverShed,
      notOurs: isEmulatedUpstream,
    }),
  );

  const ready = deps.ready;
  if (ready) {
    app.get('/ready', async (c) => {
      const { ready: ok, checks } = await ready();
      c.header('Cache-Control', 'no-store');
      if (ok) return c.json({ ready: true, checks });
      c.header('Retry-After', String(READY_RETRY_SECONDS));
      const failed = Object.entries(checks)
        .filter(([, state]) => state === 'failed')
        .map(([name]) => name);
      return c.json({ ready: false, failed, checks }, 503);
    });
  }
  app.get('/metrics', async (c) => {
    if (!metricsAllowed(c, deps.env.METRICS_TOKEN))
      throw new AppError('forbidden', 'Metrics are served to loopback callers or with METRICS_TOKEN');
    c.header('Content-Type', metricsContentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await metricsText());
  });

  if (deps.api) app.route('/api', deps.api);
  app.all('/api/*', () => {
    throw new AppError('not_found', 'Unknown API route');
  });
  if (deps.sandbox) {
    // The sandbox's ConnectWise window frames the pod from the server's other loopback name.
    app.use('/sandbox/host', async (c, next) => {
      const url = new URL(c.req.url);
      const pod = new URL(url.origin);
      pod.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      setPageHeaders(c, { frameAncestors: 'none', frameSrc: [pod.origin] });
      await next();
    });
    app.route('/sandbox', deps.sandbox);
  }

  // The pages: each is a Vite entry. Pod pages may be framed only by ConnectWise origins.
  const page = (entry: string, framed: boolean) => async (c: Context) => {
    const file = join(deps.distDir, entry, 'index.html');
    if (!existsSync(file)) throw new AppError('not_found', `Page '${entry}' is not built: run npm run build`);
    // The pod's inline config is looked up beside the frame ancestors (both by the page's tenant key). Without
    // it the pod asks /api/pod-config, so a failed lookup here only costs that round trip (and the frame
    // ancestors' own lookup reports the failure).
    const podConfig = entry === 'pod' && deps.podConfig ? deps.podConfig(c).catch(() => null) : null;
    if (framed) {
      const ancestors = deps.frameAncestors
        ? await deps.frameAncestors(c)
        : ["'self'", ...cloudHostOrigins, ...deps.env.HOST_ORIGINS];
      setPageHeaders(c, { frameAncestors: ancestors.length ? [...new Set(ancestors)] : 'none' });
    } else {
      setPageHeaders(c, { frameAncestors: 'none' });
    }
    c.header('Cache-Control', 'no-cache');
    const html = readFileSync(file, 'utf8');
    const config = await podConfig;
    return c.html(config ? withInlineConfig(html, config) : html);
  };
  app.get('/pod', page('pod', true));
  app.get('/app', page('app', true));
  app.get('/setup', page('setup', false));
  // Hashed assets: the build's brotli or gzip copy when the browser accepts it, cached for a year (a new build
  // has new names). Every answer names Accept-Encoding in Vary, so a shared cache keeps the encodings apart.
  app.get(
    '/assets/*',
    assetCaching,
    assetsFromMemory(deps.distDir),
    serveStatic({ root: deps.distDir, precompressed: true }),
  );

  app.get('/', (c) => {
    setPageHeaders(c, { frameAncestors: 'none', styleHashes: [cspHash(landingStyle)] });
    return c.html(landing(deps, new URL(c.req.url).origin));
  });
  return app;
}

/** The element id of the pod's inline configuration (client/pod/boot.ts reads it). */
export const POD_CONFIG_ELEMENT_ID = 'pod-config';

/**
 * The pod config as a JSON data block before </head>: not a script the browser runs (so the CSP's script-src
 * has no say), and `<` escaped so no value can close the element.
 */
function withInlineConfig(html: string, config: { hostOrigins: string[] }): string {
  return withInlineJson(html, POD_CONFIG_ELEMENT_ID, config);
}

/** Hashed assets never change under their name: a year, immutable; only found ones (a 404 may yet appear). */
const assetCaching: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status !== 200 && c.res.status !== 206) return;
  c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  c.res.headers.set('Vary', 'Accept-Encoding');
};

/** The home page's only style, inline and allowed by its hash in the page's CSP. */
const landingStyle =
  'body{font:13px/1.4 Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f2f2f2}';

function landing(deps: AppDeps, origin: string): string {
  const rows = [
    ['Health', `${origin}/health`],
    ['Setup (connect a tenant)', `${origin}/setup`],
    ['Pod (framed by ConnectWise)', `${origin}/pod?t=<tenant key>&screen=agreement&id=…`],
    ['Full app (the Companies › Pax8 entry)', `${origin}/app`],
  ];
  if (deps.env.SANDBOX) {
    rows.push(
      ['Sandbox ConnectWise host page', `${origin}/sandbox/host`],
      ['Sandbox ConnectWise REST base URL', `${origin}/sandbox/cw/v4_6_release/apis/3.0`],
      ['Sandbox Pax8 API base URL', `${origin}/sandbox/pax8/v1`],
      ['Sandbox credentials', `${origin}/sandbox/credentials`],
    );
  }
  const items = rows
    .map(([k, v]) => `<tr><th scope="row">${k}</th><td><a href="${v}">${v}</a></td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pax8 pod for ConnectWise</title>
<style>${landingStyle}</style>
</head><body><h1>Pax8 pod for ConnectWise Manage</h1>
<p>Mode: <strong>${deps.env.SANDBOX ? 'sandbox (emulated ConnectWise and Pax8)' : 'live'}</strong></p>
<table><tbody>${items}</tbody></table></body></html>`;
}
