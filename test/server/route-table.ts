// Every route of the app (createApp with the API mounted), with a well-formed request and who may call it.
// route-matrix.test.ts fails when the app has a route this table does not name; review-routes.test.ts
// drives the same table with bad input.
export const uuid = '00000000-0000-4000-8000-000000000001';

export type Route = {
  method: string;
  path: string;
  body?: unknown;
  /** required: a session of the tenant; optional: a session changes the answer; none: public. */
  auth: 'required' | 'optional' | 'none';
};

export const apiRoutes: Route[] = [
  { method: 'POST', path: '/api/session', body: {}, auth: 'none' },
  { method: 'GET', path: '/api/pod-config', auth: 'none' },
  { method: 'POST', path: '/api/setup/test', body: {}, auth: 'optional' },
  { method: 'POST', path: '/api/setup', body: {}, auth: 'optional' },
  { method: 'GET', path: '/api/setup', auth: 'required' },
  { method: 'POST', path: '/api/setup/register?dryRun=true', auth: 'required' },
  {
    method: 'POST',
    path: '/api/sync/plan',
    body: { subscriptionId: uuid, agreementId: 1 },
    auth: 'required',
  },
  { method: 'POST', path: '/api/sync/apply', body: { planId: 'p' }, auth: 'required' },
  { method: 'GET', path: `/api/subscriptions/${uuid}/history`, auth: 'required' },
  { method: 'GET', path: `/api/subscriptions/${uuid}/seats`, auth: 'required' },
  {
    method: 'POST',
    path: `/api/subscriptions/${uuid}/quantity`,
    body: { quantity: 3, waiveProrate: false, acceptTerms: true, idempotencyKey: 'route-table-1' },
    auth: 'required',
  },
  {
    method: 'POST',
    path: `/api/subscriptions/${uuid}/cancel`,
    body: { acceptTerms: true, idempotencyKey: 'route-table-2' },
    auth: 'required',
  },
  {
    method: 'POST',
    path: '/api/bulk/plan',
    body: { items: [{ subscriptionId: uuid, agreementId: 1 }] },
    auth: 'required',
  },
  { method: 'POST', path: '/api/bulk/jobs', body: { planId: uuid }, auth: 'required' },
  { method: 'GET', path: `/api/bulk/jobs/${uuid}`, auth: 'required' },
  { method: 'POST', path: `/api/bulk/jobs/${uuid}/undo-plan`, auth: 'required' },
  { method: 'GET', path: '/api/views/agreement/1', auth: 'required' },
  { method: 'GET', path: '/api/views/company/1', auth: 'required' },
  { method: 'GET', path: '/api/bindings', auth: 'required' },
  {
    method: 'POST',
    path: '/api/bindings/company',
    body: { cwCompanyId: 1, pax8CompanyId: uuid },
    auth: 'required',
  },
  { method: 'DELETE', path: '/api/bindings/company', body: { cwCompanyId: 1 }, auth: 'required' },
  { method: 'GET', path: '/api/bindings/company/1/prefill', auth: 'required' },
  {
    method: 'POST',
    path: '/api/bindings/company/create',
    body: {
      cwCompanyId: 1,
      company: {
        name: 'A',
        street: '1 Main St',
        city: 'Denver',
        stateOrProvince: 'CO',
        postalCode: '80202',
        country: 'US',
        phone: '555-0100-1',
        website: 'www.a.example',
      },
      contact: { kind: 'new', contact: { firstName: 'A', lastName: 'B', email: 'a@b.example' } },
    },
    auth: 'required',
  },
  {
    method: 'POST',
    path: '/api/bindings/product',
    body: { pax8ProductId: uuid, billingTerm: 'Monthly', cwCatalogId: 1 },
    auth: 'required',
  },
  { method: 'GET', path: '/api/catalog?search=office', auth: 'required' },
  { method: 'GET', path: '/api/catalog/lookups', auth: 'required' },
  { method: 'GET', path: `/api/products/${uuid}/pricing`, auth: 'required' },
  {
    method: 'POST',
    path: '/api/products/export',
    body: { pax8ProductId: uuid, billingTerm: 'Monthly', subcategoryId: 1, typeId: 1 },
    auth: 'required',
  },
  { method: 'GET', path: '/api/audit/unsynced', auth: 'required' },
  { method: 'POST', path: '/api/audit/ignore', body: { subscriptionId: uuid }, auth: 'required' },
  { method: 'POST', path: '/api/audit/restore', body: { subscriptionId: uuid }, auth: 'required' },
  { method: 'GET', path: '/api/companies', auth: 'required' },
  { method: 'GET', path: '/api/board', auth: 'required' },
  { method: 'GET', path: '/api/board/selection', auth: 'required' },
  { method: 'GET', path: '/api/board/export.csv', auth: 'required' },
  { method: 'GET', path: '/api/board/leakage?month=2020-10', auth: 'required' },
  { method: 'GET', path: '/api/board/leakage.csv?month=2020-10', auth: 'required' },
  { method: 'POST', path: '/api/board/recompute', auth: 'required' },
  { method: 'GET', path: '/api/schedule', auth: 'required' },
  {
    method: 'POST',
    path: '/api/schedule/todos/close',
    body: { ids: [uuid], as: 'dismissed' },
    auth: 'required',
  },
  { method: 'POST', path: '/api/board/changes', body: { subscriptionIds: [uuid] }, auth: 'required' },
  { method: 'PATCH', path: '/api/setup/settings', body: { threshold: true }, auth: 'required' },
  { method: 'GET', path: '/api/pax8/companies?search=ace', auth: 'required' },
];

/** The routes outside /api: pages, health, metrics (its own guard: loopback or METRICS_TOKEN, never a session). */
export const otherRoutes: Route[] = [
  { method: 'GET', path: '/health', auth: 'none' },
  { method: 'GET', path: '/ready', auth: 'none' },
  { method: 'GET', path: '/metrics', auth: 'none' },
  { method: 'GET', path: '/pod?screen=agreement&id=1', auth: 'none' },
  { method: 'GET', path: '/app', auth: 'none' },
  { method: 'GET', path: '/setup', auth: 'none' },
  { method: 'GET', path: '/assets/app.js', auth: 'none' },
  { method: 'GET', path: '/', auth: 'none' },
];

export const routeName = (r: Route) => `${r.method} ${r.path}`;

/** The app's route pattern a table row stands for (ids → :id, query dropped, /assets/x → /assets/*). */
export function patternOf(r: Route): string {
  const path = r.path
    .split('?')[0]!
    .replace(uuid, ':id')
    .replace(/\/1$/, '/:id')
    .replace(/\/1\//, '/:id/')
    .replace(/^\/assets\/.*/, '/assets/*');
  return `${r.method} ${path}`;
}
