// The per-process client cache: the same clients per tenant until its setup changes, bounded, least recently
// used dropped first. No upstream call is made: clients are lazy.
import { describe, expect, it } from 'vitest';
import { defaultTenantSettings, type Tenant, type TenantSecrets } from '../../server/store/index.ts';
import { createClientCache } from '../../server/tenant-clients.ts';

const noFetch: typeof fetch = async () => {
  throw new Error('no upstream call expected');
};
const secrets: TenantSecrets = { cwPrivateKey: 'private', pax8ClientSecret: 'secret' };
const tenant = (id: string, patch: Partial<Tenant> = {}): Tenant => ({
  id,
  name: id,
  cwSite: `${id}.test`,
  cwCompanyId: 'acme',
  cwRegion: 'na',
  cwApiBaseUrl: null,
  cwClientId: 'client',
  cwPublicKey: 'public',
  pax8ClientId: 'pax8',
  pax8ApiBaseUrl: null,
  settings: defaultTenantSettings,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  tenantKey: `key-of-${id}-0123456789abcdef`,
  sandboxOwner: null,
  ...patch,
});

describe('createClientCache', () => {
  it('returns the same clients for the same tenant setup', () => {
    const cache = createClientCache(noFetch);
    const first = cache.get(tenant('a'), secrets);
    expect(cache.get(tenant('a'), secrets)).toBe(first);
    expect(cache.get(tenant('b'), secrets)).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it.each([
    ['updatedAt', tenant('a', { updatedAt: '2020-01-02T00:00:00.000Z' }), secrets],
    ['Pax8 client id', tenant('a', { pax8ClientId: 'other' }), secrets],
    ['CW public key', tenant('a', { cwPublicKey: 'other' }), secrets],
    ['Pax8 base URL', tenant('a', { pax8ApiBaseUrl: 'https://pax8.test/v1' }), secrets],
    ['Pax8 secret', tenant('a'), { ...secrets, pax8ClientSecret: 'new' }],
    ['CW private key', tenant('a'), { ...secrets, cwPrivateKey: 'new' }],
  ] as const)('rebuilds them when the %s changes, keeping one entry per tenant', (_what, changed, s) => {
    const cache = createClientCache(noFetch);
    const first = cache.get(tenant('a'), secrets);
    const next = cache.get(changed, s);
    expect(next).not.toBe(first);
    expect(cache.get(changed, s)).toBe(next);
    expect(cache.size).toBe(1);
  });

  it('keeps at most `max` tenants, dropping the least recently used', () => {
    const cache = createClientCache(noFetch, 2);
    const a = cache.get(tenant('a'), secrets);
    const b = cache.get(tenant('b'), secrets);
    expect(cache.get(tenant('a'), secrets)).toBe(a); // a is now the most recent
    cache.get(tenant('c'), secrets); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.get(tenant('a'), secrets)).toBe(a);
    expect(cache.get(tenant('b'), secrets)).not.toBe(b);
  });
});
