// The app's Settings tab over a fake /api: the model (load, save, register, failures) and the rendered tab
// (connection without secrets, the defaults form and its announced result, the registration report, keyboard).
import { signal } from '@preact/signals';
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { AppShell } from '../../client/app/app-shell.tsx';
import { createAppRoot } from '../../client/state/app-root-model.ts';
import { createSettingsModel } from '../../client/state/app-settings-model.ts';
import type { SessionModel } from '../../client/state/session-model.ts';
import { auditOf, companies, signedIn } from './app-fakes.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush } from './pod-fakes.ts';

const tenantView = {
  id: 'tn',
  name: 'Northwind Managed Services',
  cwSite: 'na.myconnectwise.net',
  cwCompanyId: 'northwind',
  cwRegion: 'na',
  cwApiBaseUrl: null,
  cwClientId: '1a2b3c4d-0000-4000-8000-000000000001',
  cwPublicKey: 'PubKey123',
  privateKeySet: true,
  pax8ClientId: 'pax8-client-42',
  pax8ClientSecretSet: true,
  pax8ApiBaseUrl: null,
  settings: { threshold: true, countChangeDay: false, updateOrCreate: 'update' },
  updatedAt: '2020-09-20T12:00:00.000Z',
  // Never sent by the server; here to prove the client would not show it even if it were.
  cwPrivateKey: 'TopSecretPrivateKey',
};

const report = {
  publicUrl: 'https://pod.example.com',
  dryRun: false,
  remove: false,
  rows: [
    { kind: 'setup', action: 'create', label: "Pod 'Pax8' on AgreementDetail", id: 11, applied: true },
    { kind: 'setup', action: 'update', label: "Pod 'Pax8' on CompanyDetail", id: 12, applied: true },
    { kind: 'setup', action: 'unchanged', label: "Tab 'Pax8' on Agreement", id: 13, applied: false },
    { kind: 'setup', action: 'missing-screen', label: "Pod 'Pax8' on InvoiceDetail", applied: false },
    { kind: 'menu', action: 'unchanged', label: "Menu 'Pax8' in Companies", id: 14, applied: false },
  ],
  counts: { create: 1, update: 1, unchanged: 2, 'missing-screen': 1, remove: 0 },
};

function fakeServer() {
  const server = new FakePodServer();
  let saved = { ...tenantView.settings };
  server.on('GET /api/setup', () => ({ body: { ...tenantView, settings: saved } }));
  server.on('PATCH /api/setup/settings', (body) => {
    saved = { ...saved, ...(body as object) };
    return { body: saved };
  });
  server.on('POST /api/setup/register', () => ({ body: report }));
  server.on('GET /api/audit/unsynced', () => ({ body: auditOf(3) }));
  server.on('GET /api/companies', () => ({ body: companies }));
  return server;
}

const refuse = (status: number, code: string, message: string) => () => ({
  status,
  body: { error: { code, message } },
});

describe('settings model', () => {
  it('loads the tenant, and the form starts from its saved settings', async () => {
    const server = fakeServer();
    const m = createSettingsModel({ api: server.api() });
    expect(m.loaded.value.status).toBe('idle');
    await m.load();
    const l = m.loaded.value;
    expect(l.status === 'ready' && l.tenant.cwCompanyId).toBe('northwind');
    expect(l.status === 'ready' && 'cwPrivateKey' in l.tenant).toBe(false);
    expect(m.draft.value).toEqual({
      threshold: true,
      countChangeDay: false,
      updateOrCreate: 'update',
      lookbackMonths: 3,
      // Issue 10 upkeep: new lines' bill option and taxable are Settings too (an older server: these defaults).
      defaultBillCustomer: 'Billable',
      defaultTaxable: 'catalog',
    });
    expect(m.dirty.value).toBe(false);
  });

  it('saves the changed form with one PATCH and says so', async () => {
    const server = fakeServer();
    const m = createSettingsModel({ api: server.api() });
    await m.load();
    m.set('threshold', false);
    m.set('updateOrCreate', 'create');
    expect(m.dirty.value).toBe(true);
    const first = m.submit();
    const second = m.submit();
    await Promise.all([first, second]);
    expect(server.bodies('PATCH /api/setup/settings')).toEqual([
      {
        threshold: false,
        countChangeDay: false,
        updateOrCreate: 'create',
        lookbackMonths: 3,
        defaultBillCustomer: 'Billable',
        defaultTaxable: 'catalog',
      },
    ]);
    expect(m.save.value).toEqual({
      status: 'saved',
      message: 'Saved. Plans made from now on use these defaults.',
    });
    expect(m.dirty.value).toBe(false);
    m.set('countChangeDay', true);
    expect(m.save.value.status).toBe('idle');
  });

  it.each([
    [400, 'bad_request', 'Invalid request body: threshold: must be true or false'],
    [401, 'unauthorized', 'Sign in through ConnectWise: a Bearer session token is required'],
    [500, 'internal', 'Internal error'],
  ])('a %i on save says "Not saved" with the reason and keeps the form', async (status, code, message) => {
    const server = fakeServer();
    server.on('PATCH /api/setup/settings', refuse(status, code, message));
    const m = createSettingsModel({ api: server.api() });
    await m.load();
    m.set('threshold', false);
    await m.submit();
    expect(m.save.value).toEqual({ status: 'failed', message: `Not saved: ${message}` });
    expect(m.draft.value.threshold).toBe(false);
    expect(m.dirty.value).toBe(true);
  });

  it('a failed load says why and can be retried', async () => {
    const server = fakeServer();
    server.on('GET /api/setup', refuse(404, 'not_found', 'This tenant no longer exists'));
    const m = createSettingsModel({ api: server.api() });
    await m.load();
    expect(m.loaded.value).toEqual({ status: 'failed', message: 'This tenant no longer exists' });
  });

  it.each([
    ['two changes', report, 'Registered (2 changes). Log out of ConnectWise and back in to see them.'],
    [
      'nothing to change',
      { ...report, rows: report.rows.filter((r) => r.action === 'unchanged') },
      'Nothing to change: the pods and tab were already registered.',
    ],
  ])('register again: %s', async (_, answer, message) => {
    const server = fakeServer();
    server.on('POST /api/setup/register', () => ({ body: answer }));
    const m = createSettingsModel({ api: server.api() });
    await m.register();
    const r = m.registration.value;
    expect(r.status === 'done' && r.message).toBe(message);
    expect(r.status === 'done' && r.rows.length).toBe(answer.rows.length);
    expect(server.count('POST /api/setup/register')).toBe(1);
  });

  it('register again: a refusal is shown with its reason', async () => {
    const server = fakeServer();
    server.on(
      'POST /api/setup/register',
      refuse(409, 'not_configured', 'PUBLIC_URL is not set: set it to the https:// origin of this server'),
    );
    const m = createSettingsModel({ api: server.api() });
    await m.register();
    expect(m.registration.value).toEqual({
      status: 'failed',
      message: 'Not registered: PUBLIC_URL is not set: set it to the https:// origin of this server',
    });
  });
});

const host = useMountPoint();

async function openSettings(server = fakeServer()) {
  const api = server.api();
  const root = createAppRoot({ api, initial: { section: 'unsynced' } });
  const session = { state: signal(signedIn), retry: async () => {} } as unknown as SessionModel;
  render(<AppShell session={session} root={root} deps={{ api }} />, host);
  root.start();
  await flush();
  (host.querySelector('#app-tab-settings') as HTMLElement).click();
  await flush();
  return { server, root };
}

const field = (label: string) => {
  const l = [...host.querySelectorAll('label')].find((x) => text(x) === label);
  return host.querySelector(`#${l?.getAttribute('for')}`) as HTMLInputElement;
};
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => text(b) === name)!;
const fields = () =>
  [...host.querySelectorAll('.app-settings-fields dt')].map((dt) => [text(dt), text(dt.nextElementSibling)]);

describe('settings tab', () => {
  it('is the last tab; arrow keys and End reach it, and its panel is labelled by it', async () => {
    const { root } = await openSettings();
    const tabs = [...host.querySelectorAll('[role="tab"]')];
    expect(tabs.map((t) => [text(t), t.getAttribute('aria-selected'), t.getAttribute('tabindex')])).toEqual([
      ['Board', 'false', '-1'],
      ['Companies', 'false', '-1'],
      ['Subscriptions', 'false', '-1'],
      ['Unsynced Subscriptions', 'false', '-1'],
      ['Settings', 'true', '0'],
    ]);
    expect(host.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe('app-tab-settings');
    const list = host.querySelector('[role="tablist"]')!;
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flush();
    expect(root.nav.section.value).toBe('board');
    expect(host.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe('app-tab-board');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    await flush();
    expect(document.activeElement?.id).toBe('app-tab-settings');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await flush();
    expect(host.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe('app-tab-settings');
  });

  it('shows the connection as configured, never a secret, and links to /setup in a new window', async () => {
    await openSettings();
    expect(fields()).toEqual([
      ['Company', 'Northwind Managed Services'],
      ['ConnectWise site', 'na.myconnectwise.net'],
      ['Company ID', 'northwind'],
      ['Region', 'North America'],
      ['Public key', 'PubKey123'],
      ['Private key', 'set ✓'],
      ['Client ID', '1a2b3c4d-0000-4000-8000-000000000001'],
      ['Pax8 client ID', 'pax8-client-42'],
      ['Pax8 client secret', 'set ✓'],
    ]);
    expect(host.innerHTML).not.toContain('TopSecretPrivateKey');
    const link = [...host.querySelectorAll('a')].find((a) => text(a).startsWith('Test connection again'))!;
    expect([link.getAttribute('href'), link.getAttribute('target')]).toEqual(['/setup', '_blank']);
  });

  it('the defaults form: labelled fields in fieldsets, saved with an announced result', async () => {
    const { server } = await openSettings();
    expect([...host.querySelectorAll('legend')].map(text)).toEqual([
      'Prorating',
      'On a quantity change',
      'New lines',
      // The scheduled sync's form follows the defaults on the Settings tab (issue 11 item 3).
      'When',
      'Apply without a person',
    ]);
    expect([field('Threshold prorate').checked, field('Count the change day').checked]).toEqual([
      true,
      false,
    ]);
    expect(field('Update the existing addition').checked).toBe(true);
    field('Threshold prorate').click();
    field('Create a new one').click();
    await flush();
    expect(text(host.querySelector('.app-settings-form .app-muted'))).toBe('Unsaved changes');
    button('Save').click();
    await flush();
    expect(server.bodies('PATCH /api/setup/settings')).toEqual([
      {
        threshold: false,
        countChangeDay: false,
        updateOrCreate: 'create',
        lookbackMonths: 3,
        defaultBillCustomer: 'Billable',
        defaultTaxable: 'catalog',
      },
    ]);
    const status = host.querySelector('.app-settings-form [role="status"]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(text(status)).toBe('Saved. Plans made from now on use these defaults.');
    expect(host.querySelector('.app-settings-form .app-muted')).toBeNull();
  });

  it('a failed save is announced with the reason, in the error style', async () => {
    const server = fakeServer();
    server.on('PATCH /api/setup/settings', refuse(503, 'upstream_unavailable', 'The database is busy'));
    await openSettings(server);
    field('Count the change day').click();
    button('Save').click();
    await flush();
    const status = host.querySelector('.app-settings-form [role="status"]')!;
    expect([text(status), status.className]).toEqual(['Not saved: The database is busy', 'app-error']);
  });

  it('registers again and shows each row of the report', async () => {
    const { server } = await openSettings();
    button('Register pods and tab in ConnectWise again').click();
    await flush();
    expect(server.count('POST /api/setup/register')).toBe(1);
    const rows = [...host.querySelectorAll('.app-settings-report tbody tr')].map((tr) =>
      [...tr.children].map(text),
    );
    expect(rows).toEqual([
      ["Pod 'Pax8' on AgreementDetail", 'Created', '11'],
      ["Pod 'Pax8' on CompanyDetail", 'Updated', '12'],
      ["Tab 'Pax8' on Agreement", 'Unchanged', '13'],
      ["Pod 'Pax8' on InvoiceDetail", 'Missing screen (this ConnectWise does not offer it)', '—'],
      ["Menu 'Pax8' in Companies", 'Unchanged', '14'],
    ]);
    expect(
      text(host.querySelector('.app-settings [aria-labelledby="settings-register"] [role="status"]')),
    ).toBe('Registered (2 changes). Log out of ConnectWise and back in to see them.');
  });

  it('a failed load shows the reason and retries', async () => {
    const server = fakeServer();
    let fail = true;
    server.on('GET /api/setup', () =>
      fail
        ? { status: 404, body: { error: { code: 'not_found', message: 'This tenant no longer exists' } } }
        : { body: tenantView },
    );
    await openSettings(server);
    expect(text(host.querySelector('.cw-notice.error'))).toContain('This tenant no longer exists');
    fail = false;
    button('Retry').click();
    await flush();
    expect(fields()[2]).toEqual(['Company ID', 'northwind']);
  });
});

describe('new lines in Settings (issue 10 upkeep)', () => {
  it('the bill option and taxable of new lines are saved with the rest', async () => {
    const server = fakeServer();
    const m = createSettingsModel({ api: server.api() });
    await m.load();
    m.set('defaultBillCustomer', 'NoCharge');
    m.set('defaultTaxable', 'no');
    expect(m.dirty.value).toBe(true);
    await m.submit();
    expect(server.bodies('PATCH /api/setup/settings')).toEqual([
      expect.objectContaining({ defaultBillCustomer: 'NoCharge', defaultTaxable: 'no' }),
    ]);
  });
});
