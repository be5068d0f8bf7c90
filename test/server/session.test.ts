import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { deriveKey } from '../../server/store/index.ts';
import { appSecret, type Harness, harness, memberAuth, sandboxSetup } from './setup-harness.ts';
import { cwLookups } from './sync-harness.ts';

let h: Harness;
let tenantId: string;

beforeEach(async () => {
  h = await harness();
  const res = await h.post('/api/setup', sandboxSetup());
  const body = await res.json();
  expect(body.saved).toBe(true);
  tenantId = body.tenant.id;
});
afterEach(() => h.close());

describe('POST /api/session', () => {
  it('verifies the member against ConnectWise and returns a session', async () => {
    const res = await h.post('/api/session', memberAuth({ tenantKey: await h.tenantKey() }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      expiresAt: '2026-11-25T12:15:00.000Z',
      member: { id: 'jsmith' },
      tenant: { id: tenantId, name: 'Northwind Managed Services' },
    });
    expect(h.calls.some((c) => c.includes('/system/members'))).toBe(true);
    const who = await h.get('/api/setup', body.token);
    expect(who.status).toBe(200);
  });

  it.each([
    ['site with scheme and slash', { site: 'http://127.0.0.1:8787/' }],
    ['company id in other case', { companyid: 'DemoCW' }],
  ])('finds the tenant by %s', async (_name, over) => {
    expect(
      (await h.post('/api/session', memberAuth({ tenantKey: await h.tenantKey(), ...over }))).status,
    ).toBe(200);
  });

  it.each([
    ['wrong member hash → 401', { memberHash: 'forged-hash' }, 401, 'sign_in_failed'],
    ['hash of another member → 401', { memberid: 'someoneelse' }, 401, 'sign_in_failed'],
    [
      'unknown site → 401, the same answer (issue 12: no tenant enumeration)',
      { site: 'eu.myconnectwise.net' },
      401,
      'sign_in_failed',
    ],
    ['missing memberHash → 400', { memberHash: undefined }, 400, 'bad_request'],
    ['blank memberid → 400', { memberid: '  ' }, 400, 'bad_request'],
  ] as const)('%s', async (_name, over, status, code) => {
    const res = await h.post('/api/session', memberAuth({ tenantKey: await h.tenantKey(), ...over }));
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });

  it('names /setup for an unknown site, in the one answer a refused member gets too', async () => {
    const res = await h.post(
      '/api/session',
      memberAuth({ tenantKey: await h.tenantKey(), site: 'eu.myconnectwise.net' }),
    );
    expect((await res.json()).error.message).toBe(
      'Sign-in failed: this ConnectWise site is not connected here (an admin opens /setup), or ConnectWise did not confirm the member',
    );
  });
});

describe("POST /api/session with the pod's record (issue 13: the first view rides along)", () => {
  it('answers the session and the view GET /api/views gives, in one round trip', async () => {
    const ace = cwLookups(h.cw.data).agreementNamed('Ace Monthly');
    const res = await h.post(
      '/api/session',
      memberAuth({ tenantKey: await h.tenantKey(), view: { kind: 'agreement', id: ace.id } }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ member: { id: 'jsmith' }, tenant: { id: tenantId } });
    expect(body.view).toMatchObject({ kind: 'agreement', id: ace.id });
    expect(body.view.data.agreement).toMatchObject({ id: ace.id, name: 'Ace Monthly' });
    const separate = await h.get(`/api/views/agreement/${ace.id}`, body.token);
    expect(separate.status).toBe(200);
    expect(body.view.data).toEqual(await separate.json());
  });

  it('builds no view for a member ConnectWise refused: the answer is the one refusal', async () => {
    const ace = cwLookups(h.cw.data).agreementNamed('Ace Monthly');
    const before = h.calls.filter((c) => c.includes('/agreements')).length;
    const res = await h.post(
      '/api/session',
      memberAuth({
        tenantKey: await h.tenantKey(),
        memberHash: 'forged-hash',
        view: { kind: 'agreement', id: ace.id },
      }),
    );
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('sign_in_failed');
    expect(h.calls.filter((c) => c.includes('/agreements')).length).toBe(before);
  });

  it('a view that cannot be built is left out; the session still opens', async () => {
    const res = await h.post(
      '/api/session',
      memberAuth({ tenantKey: await h.tenantKey(), view: { kind: 'agreement', id: 999999 } }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token).toEqual(expect.any(String));
    expect(body.view).toBeUndefined();
    expect((await h.get('/api/views/agreement/999999', body.token)).status).toBe(404);
  });

  it.each([
    ['an unknown kind', { kind: 'invoice', id: 5 }],
    ['a fractional id', { kind: 'agreement', id: 1.5 }],
    ['an id as text', { kind: 'company', id: '5' }],
  ])('refuses %s with a 400 naming view', async (_name, view) => {
    const res = await h.post('/api/session', memberAuth({ tenantKey: await h.tenantKey(), view }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('view');
  });
});

describe('requireSession', () => {
  const signerWith = (over: Partial<Parameters<typeof createSessionSigner>[0]>) =>
    createSessionSigner({
      key: deriveKey(appSecret, 'sessions'),
      issuer: 'pax8-cw-pod',
      audience: 'pax8-cw-pod',
      ttlSeconds: 900,
      now: () => new Date('2026-11-25T12:00:00Z'),
      ...over,
    });
  const session = () => ({ tenantId, memberId: 'jsmith', memberName: 'Jane Smith' });

  const cases: [string, () => Promise<string | undefined>, number][] = [
    ['no token → 401', async () => undefined, 401],
    [
      'forged signature → 401',
      async () => (await signerWith({ key: deriveKey('x'.repeat(40), 'sessions') }).sign(session())).token,
      401,
    ],
    [
      'wrong audience → 401',
      async () => (await signerWith({ audience: 'someone-else' }).sign(session())).token,
      401,
    ],
    [
      'expired (signed 15m01s ago) → 401',
      async () => (await signerWith({ now: () => new Date('2026-11-25T11:44:59Z') }).sign(session())).token,
      401,
    ],
    ['valid → 200', async () => (await signerWith({}).sign(session())).token, 200],
  ];
  it.each(cases)('%s', async (_name, tokenOf, status) => {
    const res = await h.get('/api/setup', await tokenOf());
    expect(res.status).toBe(status);
    if (status === 401) expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('refuses a tenant-A token on tenant B (403)', async () => {
    const b = await h.repos.tenants.upsert({
      name: 'Other MSP',
      cwSite: 'eu.myconnectwise.net',
      cwCompanyId: 'othermsp',
      cwRegion: 'eu',
      cwClientId: '00000000-0000-4000-8000-000000000000',
      cwPublicKey: 'pub',
      cwPrivateKey: 'priv',
      pax8ClientId: 'p',
      pax8ClientSecret: 's',
    });
    const { token } = await h.sessions.sign(session());
    const res = await h.post(
      '/api/setup',
      sandboxSetup({ region: 'eu', siteUrl: '', companyId: 'othermsp' }),
      token,
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect((await h.repos.tenants.get(b.id))?.cwPublicKey).toBe('pub');
  });
});

describe('POST /api/session: the tenant key of the pod URL', () => {
  it.each([
    ['no key → 400', { tenantKey: undefined }, 400, 'bad_request'],
    [
      'an unknown key → the one sign-in failure',
      { tenantKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      401,
      'sign_in_failed',
    ],
    ['a malformed key → the one sign-in failure', { tenantKey: 'not a key!' }, 401, 'sign_in_failed'],
  ] as const)('%s, and ConnectWise is not asked', async (_name, over, status, code) => {
    const res = await h.post('/api/session', memberAuth(over));
    expect([res.status, (await res.json()).error.code]).toEqual([status, code]);
    expect(h.calls.filter((c) => c.includes('/system/members'))).toEqual([]);
  });

  it("another tenant's key with this site and company → the one sign-in failure (site + company is a second factor)", async () => {
    const other = await h.repos.tenants.upsert({
      name: 'Other MSP',
      cwSite: 'eu.myconnectwise.net',
      cwCompanyId: 'othermsp',
      cwRegion: 'eu',
      cwClientId: '00000000-0000-4000-8000-000000000000',
      cwPublicKey: 'pub',
      cwPrivateKey: 'priv',
      pax8ClientId: 'p',
      pax8ClientSecret: 's',
    });
    const res = await h.post('/api/session', memberAuth({ tenantKey: other.tenantKey }));
    expect([res.status, (await res.json()).error.code]).toEqual([401, 'sign_in_failed']);
    expect(h.calls.filter((c) => c.includes('/system/members'))).toEqual([]);
  });
});

describe('GET /api/pod-config', () => {
  it("answers only the key's tenant: its site (sandbox over http) and HOST_ORIGINS", async () => {
    await h.repos.tenants.upsert({
      name: 'Other MSP',
      cwSite: 'eu.myconnectwise.net',
      cwCompanyId: 'othermsp',
      cwRegion: 'eu',
      cwClientId: '00000000-0000-4000-8000-000000000000',
      cwPublicKey: 'pub',
      cwPrivateKey: 'priv',
      pax8ClientId: 'p',
      pax8ClientSecret: 's',
    });
    const res = await h.get(`/api/pod-config?t=${await h.tenantKey()}`);
    expect(res.status).toBe(200);
    // Not the other tenant's eu.myconnectwise.net, nor any other cloud origin.
    expect((await res.json()).hostOrigins).toEqual(['http://127.0.0.1:8787', 'https://cw.partner.example']);
  });

  it.each([
    ['no key → 400', '', 400, 'bad_request'],
    ['an unknown key → 404', '?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 404, 'not_found'],
    ['a malformed key → 404', '?t=%27%20or%201%3D1', 404, 'not_found'],
  ] as const)('%s, naming no tenant', async (_name, query, status, code) => {
    const res = await h.get(`/api/pod-config${query}`);
    const body = await res.json();
    expect([res.status, body.error.code]).toEqual([status, code]);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|Northwind|myconnectwise/);
  });
});

describe("POST /api/session keeps ConnectWise's confirmation a minute (issue 13)", () => {
  const memberCalls = () => h.calls.filter((c) => c.includes('/system/members')).length;

  it('signs the same member session in again without asking ConnectWise', async () => {
    const auth = memberAuth({ tenantKey: await h.tenantKey() });
    expect((await h.post('/api/session', auth)).status).toBe(200);
    expect(memberCalls()).toBe(1);
    const again = await h.post('/api/session', auth);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ member: { id: 'jsmith' }, tenant: { id: tenantId } });
    expect(memberCalls()).toBe(1);
  });

  it('never answers a different hash or member from the kept confirmation', async () => {
    const tenantKey = await h.tenantKey();
    expect((await h.post('/api/session', memberAuth({ tenantKey }))).status).toBe(200);
    for (const over of [{ memberHash: 'forged-hash' }, { memberid: 'someoneelse' }]) {
      const before = memberCalls();
      const res = await h.post('/api/session', memberAuth({ tenantKey, ...over }));
      expect(res.status).toBe(401);
      expect(memberCalls()).toBe(before + 1);
    }
    // A refusal is not kept either: asked again.
    const before = memberCalls();
    expect((await h.post('/api/session', memberAuth({ tenantKey, memberHash: 'forged-hash' }))).status).toBe(
      401,
    );
    expect(memberCalls()).toBe(before + 1);
  });
});
