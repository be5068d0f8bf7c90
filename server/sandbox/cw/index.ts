// The emulated ConnectWise Manage REST API as a Hono sub-app (mounted at /sandbox/cw, or alone in tests):
// /login/companyinfo, Basic auth + clientId, the CW query language and pagination, CW error bodies, faults.
import { type Context, Hono } from 'hono';
import { createFaults, type FaultSettings, type Faults } from '../faults.ts';
import { cwAuth } from './auth.ts';
import { createDemoCwData } from './demo-data.ts';
import { apiRoot, type CwEnv, CwError, renderError } from './http.ts';
import { type CwInvoicing, createCwInvoicing } from './invoice-run.ts';
import { mountResources } from './resources.ts';
import { hostedScreens } from './screens.ts';
import type { CwData } from './store.ts';

export { createDemoCwData, demoCwCredentials, generateLargeCwData } from './demo-data.ts';
export type { CwData, Row, TableName } from './store.ts';

export const cwVersion = { code: 'v2025.1', number: 'v4.6.10431' } as const;

export function createCwEmulator(opts: { data?: CwData; faults?: Faults; now?: () => Date } = {}): {
  app: Hono;
  data: CwData;
  faults: Faults;
  invoicing: CwInvoicing;
} {
  const now = opts.now ?? (() => new Date());
  const data = opts.data ?? createDemoCwData({ now: now() });
  const faults = opts.faults ?? createFaults();
  const invoicing = createCwInvoicing(data);
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof CwError) return renderError(c, err);
    return c.json({ code: 'ServerError', message: 'An unexpected error occurred on the server.' }, 500);
  });
  // A catch-all route, not app.notFound: a parent app that mounts this one keeps its own notFound.
  const notFound = (c: Context) =>
    c.json({ code: 'NotFound', message: `The resource ${c.req.path} was not found.` }, 404);

  app.post('/_faults', async (c) => {
    const patch = (await c.req.json().catch(() => ({}))) as Partial<FaultSettings>;
    faults.set(patch);
    return c.json(faults.settings);
  });
  app.delete('/_faults', (c) => {
    faults.reset();
    return c.json(faults.settings);
  });
  // The sandbox's window on agreement invoicing (CW shows it under Finance › Invoicing; no REST equivalent).
  app.get('/_invoices', (c) => {
    const raw = c.req.query('agreementId') ?? '';
    if (!/^[1-9][0-9]{0,9}$/.test(raw)) {
      return c.json(
        { error: { code: 'bad_request', message: 'agreementId must be a positive whole number' } },
        400,
      );
    }
    const id = Number(raw);
    if (!data.tables.agreements.rows.has(id)) {
      return c.json({ error: { code: 'not_found', message: `Agreement ${id} was not found` } }, 404);
    }
    return c.json(invoicing.list(id));
  });
  app.use(
    '*',
    faults.middleware((c, status, message) =>
      c.json(
        {
          code: status === 429 ? 'TooManyRequests' : status === 400 ? 'InvalidObject' : 'ServerError',
          message,
        },
        status,
      ),
    ),
  );

  app.get('/login/companyinfo/:companyId', (c) => {
    if (c.req.param('companyId').toLowerCase() !== data.company.id.toLowerCase()) return c.json(null);
    return c.json({
      CompanyName: data.company.name,
      Codebase: 'v4_6_release/',
      VersionCode: cwVersion.code,
      VersionNumber: cwVersion.number,
      CompanyID: data.company.id,
      IsCloud: false,
    });
  });

  const api = new Hono<CwEnv>();
  api.use('*', cwAuth(data));
  api.use('*', async (c, next) => {
    await next();
    c.header('api-current-version', cwVersion.code.slice(1));
  });
  api.get('/system/info', (c) =>
    c.json({
      version: `${cwVersion.code}.10431`,
      isCloud: false,
      serverTimeZone: 'Eastern Standard Time',
      licenseBits: [],
      cloudRegion: 'NA',
      maxWorkFlowRecordsAllowed: 10000,
    }),
  );
  api.get('/system/reports/ConnectWiseHostedApiScreen', (c) => c.json(hostedScreens));
  mountResources(api, { data, now });
  app.route(apiRoot, api);
  app.all('*', notFound);

  return { app, data, faults, invoicing };
}
