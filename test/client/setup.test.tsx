import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { createSetupModel } from '../../client/setup/model.ts';
import { SetupPage } from '../../client/setup/setup-page.tsx';
import { useMountPoint } from './fakes/dom.ts';

type Call = { url: string; method: string; body: unknown; auth: string | null };

/** A fake server: answers by path from a table, records each call. */
function fakeFetch(routes: Record<string, (body: unknown) => { status: number; json: unknown }>) {
  const calls: Call[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const headers = new Headers(init?.headers);
    calls.push({ url, method: init?.method ?? 'GET', body, auth: headers.get('authorization') });
    const route = routes[url];
    if (!route)
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no' } }), { status: 404 });
    const { status, json } = route(body);
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchFn, calls };
}

const sandboxCreds = {
  connectwise: {
    siteUrl: 'http://127.0.0.1:8787',
    companyId: 'democw',
    publicKey: 'Pub',
    privateKey: 'Priv',
    clientId: '11111111-2222-3333-4444-555555555555',
  },
  pax8: { clientId: 'pc', clientSecret: 'ps' },
};
const okChecks = [
  { id: 'cw-company', label: 'ConnectWise company', ok: true, message: 'Found Northwind' },
  { id: 'pax8', label: 'Pax8 API', ok: true, message: 'Pax8 issued an access token' },
];

const root = useMountPoint();

const flush = () => act(async () => await new Promise((r) => setTimeout(r, 0)));
const button = (text: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent === text) as HTMLButtonElement | undefined;
const input = (name: string) => root.querySelector(`[name="${name}"]`) as HTMLInputElement;
async function type(name: string, value: string) {
  await act(() => {
    const el = input(name);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function mount(fetchFn: typeof fetch) {
  const model = createSetupModel(fetchFn);
  await act(() => render(<SetupPage model={model} />, root));
  await act(() => model.detectSandbox());
  return model;
}

describe('/setup page', () => {
  it('has a label for every field and no sandbox button without a sandbox', async () => {
    const { fetchFn } = fakeFetch({});
    await mount(fetchFn);
    const labels = [...root.querySelectorAll('label')].map((l) => l.textContent);
    expect(labels).toEqual([
      'Company ID',
      'Public key',
      'Private key',
      'Client ID',
      'Region',
      'Pax8 client ID',
      'Pax8 client secret',
    ]);
    for (const l of root.querySelectorAll('label'))
      expect(root.querySelector(`#${l.htmlFor}`)).not.toBeNull();
    expect(button('Fill with sandbox credentials')).toBeUndefined();
    expect(button('Create Tab in ConnectWise')).toBeUndefined();
  });

  it('fills the sandbox credentials, saves, shows success and creates the tab with the session', async () => {
    const { fetchFn, calls } = fakeFetch({
      '/sandbox/credentials': () => ({ status: 200, json: sandboxCreds }),
      '/api/setup': () => ({
        status: 200,
        json: {
          ok: true,
          saved: true,
          notes: ['Private key had a trailing space; it was trimmed'],
          checks: okChecks,
          tenant: { id: 't1', name: 'Northwind' },
          token: 'tok-1',
        },
      }),
      '/api/setup/register': () => ({
        status: 200,
        json: {
          rows: [{ kind: 'menu', action: 'create', label: "Menu 'Pax8' in Companies", applied: true }],
        },
      }),
    });
    await mount(fetchFn);
    await act(() => button('Fill with sandbox credentials')?.click());
    expect(input('companyId').value).toBe('democw');
    expect(input('siteUrl').value).toBe('http://127.0.0.1:8787');

    await act(() => button('Save')?.click());
    await flush();
    expect(calls.at(-1)).toMatchObject({
      url: '/api/setup',
      method: 'POST',
      body: {
        companyId: 'democw',
        publicKey: 'Pub',
        privateKey: 'Priv',
        region: 'sandbox',
        siteUrl: 'http://127.0.0.1:8787',
        pax8: { clientId: 'pc', clientSecret: 'ps' },
      },
    });
    expect(root.querySelector('.success')?.textContent).toBe(
      'Connected: the settings for Northwind were saved.',
    );
    expect(root.querySelector('.notes')?.textContent).toBe(
      'Private key had a trailing space; it was trimmed',
    );
    expect([...root.querySelectorAll('.checks li')].map((li) => li.className)).toEqual(['ok', 'ok']);

    await act(() => button('Create Tab in ConnectWise')?.click());
    await flush();
    expect(calls.at(-1)).toMatchObject({ url: '/api/setup/register', method: 'POST', auth: 'Bearer tok-1' });
    expect(root.textContent).toContain("create: Menu 'Pax8' in Companies");
  });

  it('shows each refused field inline, next to its input', async () => {
    const { fetchFn } = fakeFetch({
      '/api/setup/test': () => ({
        status: 400,
        json: {
          error: {
            code: 'bad_request',
            message: 'Company ID is required',
            details: [
              { path: 'companyId', message: 'Company ID is required' },
              { path: 'pax8.clientSecret', message: 'Pax8 client secret is required' },
            ],
          },
        },
      }),
    });
    await mount(fetchFn);
    await type('publicKey', 'Pub');
    await act(() => button('Test connection')?.click());
    await flush();
    expect(input('companyId').getAttribute('aria-invalid')).toBe('true');
    expect(root.querySelector('#f-companyId-err')?.textContent).toBe('Company ID is required');
    expect(root.querySelector('#f-pax8ClientSecret-err')?.textContent).toBe('Pax8 client secret is required');
    expect(input('publicKey').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(input('companyId'));
    expect(button('Create Tab in ConnectWise')).toBeUndefined();
  });

  it('lists a failed live check and offers no tab button', async () => {
    const { fetchFn } = fakeFetch({
      '/api/setup': () => ({
        status: 200,
        json: {
          ok: false,
          saved: false,
          notes: [],
          checks: [{ id: 'cw-keys', label: 'API keys', ok: false, message: 'ConnectWise rejected the keys' }],
        },
      }),
    });
    await mount(fetchFn);
    await act(() => button('Save')?.click());
    await flush();
    expect(root.querySelector('.checks .bad')?.textContent).toBe('✘ API keys: ConnectWise rejected the keys');
    expect(root.querySelector('.success')).toBeNull();
    expect(button('Create Tab in ConnectWise')).toBeUndefined();
  });
});
