import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { type Harness, harness, sandboxSetup } from './setup-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

type Check = { id: string; ok: boolean; message: string };
const failures = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.message);

describe('setup input: spaces are named and trimmed', () => {
  it.each([
    [{ privateKey: `${demoCwCredentials.privateKey} ` }, 'Private key had a trailing space; it was trimmed'],
    [{ publicKey: ` ${demoCwCredentials.publicKey}` }, 'Public key had a leading space; it was trimmed'],
    [{ companyId: '  democw  ' }, 'Company ID had leading and trailing spaces; it was trimmed'],
    [{ clientId: `${demoCwCredentials.clientId}\n` }, 'Client ID had trailing whitespace; it was trimmed'],
    [
      {
        pax8: {
          clientId: demoPax8Credentials.clientId,
          clientSecret: `${demoPax8Credentials.clientSecret}\t`,
        },
      },
      'Pax8 client secret had trailing whitespace; it was trimmed',
    ],
  ])('%j → %s, and the trimmed value works', async (over, note) => {
    const res = await h.post('/api/setup/test', sandboxSetup(over));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.notes).toEqual([note]);
    expect(failures(body.checks)).toEqual([]);
    expect(body.ok).toBe(true);
  });
});

describe('setup input: refused before any upstream call (400, field named)', () => {
  it.each([
    [{ companyId: '' }, 'companyId', 'Company ID is required'],
    [{ publicKey: '   ' }, 'publicKey', 'Public key is required'],
    [{ clientId: undefined }, 'clientId', 'Client ID is required'],
    [
      { clientId: 'my-client' },
      'clientId',
      'Client ID must be the GUID from developer.connectwise.com (like 1a2b3c4d-…)',
    ],
    [{ pax8: { clientId: 'x', clientSecret: '' } }, 'pax8.clientSecret', 'Pax8 client secret is required'],
    [{ region: 'self-hosted', siteUrl: '' }, 'siteUrl', 'Site URL is required for a self-hosted ConnectWise'],
    [
      { region: 'self-hosted', siteUrl: 'cw example com' },
      'siteUrl',
      "Site URL 'cw example com' is not a URL; enter it like https://cw.example.com",
    ],
    [
      { region: 'self-hosted', siteUrl: 'http://cw.example.com' },
      'siteUrl',
      "Site URL must start with https:// (ConnectWise needs HTTPS); got 'http://'",
    ],
    [{ region: 'mars' }, 'region', 'Region must be na, eu, au or self-hosted'],
  ])('%j → %s: %s', async (over, path, message) => {
    const res = await h.post('/api/setup/test', sandboxSetup(over));
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('bad_request');
    expect(error.details).toContainEqual({ path, message });
    expect(h.calls).toEqual([]);
  });
});

describe('setup: the live connection test names each failure', () => {
  it.each([
    [
      'bad keys',
      { privateKey: 'WrongPrivateKey' },
      "ConnectWise rejected the public/private key pair for company 'democw'. Copy both keys again from the API member (System › Members › API Members › API Keys).",
    ],
    [
      'unknown company (self-hosted)',
      { region: 'self-hosted', siteUrl: 'https://cw.example.com', companyId: 'nosuchco' },
      "ConnectWise at cw.example.com does not know the company ID 'nosuchco'. Use the company you log in with.",
    ],
    [
      'unknown company (cloud)',
      { region: 'na', siteUrl: '', companyId: 'nosuchco' },
      "ConnectWise at na.myconnectwise.net does not know the company ID 'nosuchco'. Use the company you log in with.",
    ],
    [
      'unreachable host',
      { region: 'self-hosted', siteUrl: 'https://cw.down.example' },
      'Could not reach ConnectWise at https://cw.down.example. Check the URL, and that your firewall lets this server in.',
    ],
    [
      'restricted keys',
      {
        publicKey: demoCwCredentials.restricted.publicKey,
        privateKey: demoCwCredentials.restricted.privateKey,
      },
      "The API member's security role is missing permission for finance/agreements: grant Finance › Agreements (Inquire, Edit) in System › Security Roles.",
    ],
    [
      'bad Pax8 secret',
      { pax8: { clientId: demoPax8Credentials.clientId, clientSecret: 'wrong' } },
      'Pax8 rejected the client ID / client secret. Create an API app in Pax8 (Integrations › API Credentials) and paste its ID and secret.',
    ],
  ])('%s', async (_name, over, message) => {
    const res = await h.post('/api/setup/test', sandboxSetup(over));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(failures(body.checks)).toEqual([message]);
  });

  it('passes every check for a cloud tenant (na) and a self-hosted one', async () => {
    for (const over of [
      { region: 'na', siteUrl: '' },
      { region: 'self-hosted', siteUrl: 'https://cw.example.com/v4_6_release/' },
    ]) {
      const body = await (await h.post('/api/setup/test', sandboxSetup(over))).json();
      expect(body.checks.map((c: Check) => `${c.id}:${c.ok}`)).toEqual([
        'cw-company:true',
        'cw-keys:true',
        'company/companies:true',
        'procurement/catalog:true',
        'finance/agreements:true',
        'finance/agreements/{id}/additions:true',
        'system/connectwisehostedsetups:true',
        'pax8:true',
      ]);
    }
  });

  it('proves the Pax8 credentials with one token request, paging no companies', async () => {
    const body = await (await h.post('/api/setup/test', sandboxSetup())).json();
    expect(body.checks.at(-1)).toMatchObject({ id: 'pax8', ok: true });
    expect(h.calls.filter((c) => c.includes('pax8'))).toEqual(['POST 127.0.0.1:8787/sandbox/pax8/v1/token']);
  });

  it('clientId refused by ConnectWise (header lost on the way)', async () => {
    const lossy = await harness({ dropHeader: 'clientid' });
    const body = await (await lossy.post('/api/setup/test', sandboxSetup())).json();
    await lossy.close();
    expect(failures(body.checks)).toEqual([
      'ConnectWise refused the Client ID. Create one at developer.connectwise.com (ClientID) and paste it here.',
    ]);
  });

  it('a failed test saves nothing', async () => {
    await h.post('/api/setup', sandboxSetup({ privateKey: 'WrongPrivateKey' }));
    expect(await h.repos.tenants.list()).toEqual([]);
  });
});

describe('setup: save, read back, and who may change a tenant', () => {
  it('saves with secrets sealed, and GET /api/setup never returns a secret', async () => {
    const saved = await (await h.post('/api/setup', sandboxSetup())).json();
    expect(saved).toMatchObject({ ok: true, saved: true, tenant: { name: 'Northwind Managed Services' } });
    const row = await h.store.db.selectFrom('tenants').selectAll().executeTakeFirstOrThrow();
    expect(row.cw_site).toBe('127.0.0.1:8787');
    expect(row.cw_private_key.startsWith('v1:')).toBe(true);
    expect(row.cw_private_key).not.toContain(demoCwCredentials.privateKey);

    const res = await h.get('/api/setup', saved.token);
    const text = await res.text();
    expect(text).not.toContain(demoCwCredentials.privateKey);
    expect(text).not.toContain(demoPax8Credentials.clientSecret);
    expect(JSON.parse(text)).toMatchObject({
      cwCompanyId: 'democw',
      cwPublicKey: demoCwCredentials.publicKey,
      privateKeySet: true,
      pax8ClientSecretSet: true,
    });
  });

  it('without a session, only valid keys may change a configured tenant', async () => {
    await h.post('/api/setup', sandboxSetup());
    const [tenant] = await h.repos.tenants.list();
    const res = await h.post(
      '/api/setup',
      sandboxSetup({ publicKey: 'AttackerPub', privateKey: 'AttackerPriv' }),
    );
    expect((await res.json()).saved).toBe(false);
    expect((await h.repos.tenants.get(tenant!.id))?.cwPublicKey).toBe(demoCwCredentials.publicKey);
  });

  it('without a session the secrets must be given again', async () => {
    await h.post('/api/setup', sandboxSetup());
    const res = await h.post('/api/setup', sandboxSetup({ privateKey: '' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toContainEqual({
      path: 'privateKey',
      message: 'Private key is required',
    });
  });

  it("the tenant's own session may change settings and keep the stored secrets", async () => {
    const first = await (await h.post('/api/setup', sandboxSetup())).json();
    const res = await h.post(
      '/api/setup',
      sandboxSetup({ privateKey: '', pax8: { clientId: demoPax8Credentials.clientId, clientSecret: '' } }),
      first.token,
    );
    expect((await res.json()).saved).toBe(true);
    expect(await h.repos.tenants.secrets(first.tenant.id)).toEqual({
      cwPrivateKey: demoCwCredentials.privateKey,
      pax8ClientSecret: demoPax8Credentials.clientSecret,
    });
    const audit = await h.repos.audit.list(first.tenant.id);
    expect(audit.map((a) => a.action)).toEqual(['tenant.updated', 'tenant.created']);
  });
});
