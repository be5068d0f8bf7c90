// The emulated Pax8 Partner API as a Hono sub-app: mount it at /sandbox/pax8 (API base /sandbox/pax8/v1).
import { Hono } from 'hono';
import * as v from 'valibot';
import { createFaults, type Faults } from '../faults.ts';
import type { Pax8Data } from './data.ts';
import { createDemoPax8Data } from './demo-data.ts';
import { bearerAuth, Pax8HttpError, renderError } from './http.ts';
import { billingRoutes } from './routes-billing.ts';
import { directoryRoutes } from './routes-directory.ts';
import { subscriptionRoutes } from './routes-subscriptions.ts';

export const demoPax8Credentials = {
  clientId: 'demo-pax8-client',
  clientSecret: 'demo-pax8-secret-not-for-production',
} as const satisfies { clientId: string; clientSecret: string };

export const PAX8_AUDIENCE = 'https://api.pax8.com';

const TokenBody = v.object({
  client_id: v.pipe(v.string(), v.minLength(1)),
  client_secret: v.pipe(v.string(), v.minLength(1)),
  audience: v.literal(PAX8_AUDIENCE),
  grant_type: v.literal('client_credentials'),
});

export type Pax8EmulatorOptions = {
  /** Default: the demo MSP's data as of now(). */
  data?: Pax8Data | undefined;
  faults?: Faults | undefined;
  now?: (() => Date) | undefined;
  /** Token lifetime; Pax8's is one day. */
  tokenTtlSeconds?: number;
  credentials?: { clientId: string; clientSecret: string };
};

export function createPax8Emulator(opts: Pax8EmulatorOptions = {}): {
  app: Hono;
  data: Pax8Data;
  faults: Faults;
} {
  const now = opts.now ?? (() => new Date());
  const data = opts.data ?? createDemoPax8Data(now());
  const faults = opts.faults ?? createFaults();
  const ttl = opts.tokenTtlSeconds ?? 86_400;
  const credentials = opts.credentials ?? demoPax8Credentials;

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof Pax8HttpError) return renderError(c, err);
    return renderError(c, new Pax8HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
  });

  app.post('/_faults', async (c) => {
    faults.set((await c.req.json()) as Parameters<Faults['set']>[0]);
    return c.json(faults.settings);
  });
  app.use(
    '/v1/*',
    faults.middleware((c, status, message) =>
      renderError(
        c,
        new Pax8HttpError(
          status,
          status === 429 ? 'TOO_MANY_REQUESTS' : status === 400 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR',
          message,
        ),
      ),
    ),
  );

  app.post('/v1/token', async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      raw = undefined;
    }
    const parsed = v.safeParse(TokenBody, raw);
    if (!parsed.success) {
      return c.json({ error: 'invalid_request', error_description: 'Invalid token request' }, 400);
    }
    const { client_id, client_secret } = parsed.output;
    if (client_id !== credentials.clientId || client_secret !== credentials.clientSecret) {
      return c.json({ error: 'access_denied', error_description: 'Unauthorized' }, 401);
    }
    return c.json({ access_token: data.issueToken(now(), ttl), expires_in: ttl, token_type: 'Bearer' });
  });

  const api = new Hono();
  api.use('*', bearerAuth(data, now));
  api.route('/', directoryRoutes(data, now));
  api.route('/', subscriptionRoutes(data, now));
  api.route('/', billingRoutes(data, now));
  api.all('*', (c) => {
    throw new Pax8HttpError(404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`);
  });
  app.route('/v1', api);
  return { app, data, faults };
}
