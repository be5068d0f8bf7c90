// The pod page carries its pod config (issue 13: no /api/pod-config round trip before the handshake): a page
// requested with a tenant's key holds, as a JSON data block, exactly what GET /api/pod-config answers for that
// key; an unknown or missing key gets the page without it (the pod then asks and shows the API's error).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, POD_CONFIG_ELEMENT_ID } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { apiContext, createApi } from '../../server/routes/api.ts';
import { frameAncestorsFor, podConfigFor } from '../../server/routes/pod-config.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { createSecretBox, deriveKey, openStore, type Store } from '../../server/store/index.ts';

const now = () => new Date('2026-11-25T12:00:00Z');
const dist = mkdtempSync(join(tmpdir(), 'pod-inline-'));
let store: Store;
let app: ReturnType<typeof createApp>;
let keys: { sandbox: string };
// An origin no validator would pass, to show the block cannot be closed by a value in it.
const odd = 'https://odd.example/</script><b>';

beforeAll(async () => {
  for (const page of ['pod', 'app']) {
    mkdirSync(join(dist, page), { recursive: true });
    writeFileSync(
      join(dist, page, 'index.html'),
      `<!doctype html><html><head><title>${page}</title></head></html>`,
    );
  }
  store = await openStore({ sqlitePath: ':memory:' });
  const ctx = apiContext({
    store,
    secretBox: createSecretBox(deriveKey('test-app-secret-that-is-long-enough-0123456789', 'secrets')),
    sessions: createSessionSigner({
      key: new Uint8Array(32).fill(3),
      issuer: 'i',
      audience: 'a',
      ttlSeconds: 900,
      now,
    }),
    now,
    fetch: globalThis.fetch,
    logger: silentLogger,
    hostOrigins: ['https://cw.partner.example', odd],
  });
  const tenant = (cwSite: string, cwCompanyId: string) =>
    ctx.repos.tenants.upsert({
      name: cwCompanyId,
      cwSite,
      cwCompanyId,
      cwRegion: 'sandbox',
      cwClientId: 'client',
      cwPublicKey: 'pub',
      cwPrivateKey: 'priv',
      pax8ClientId: 'p',
      pax8ClientSecret: 's',
    });
  keys = { sandbox: (await tenant('127.0.0.1:8787', 'democw')).tenantKey };
  app = createApp({
    env: { HOST_ORIGINS: ['https://cw.partner.example'], SANDBOX: true },
    logger: silentLogger,
    now,
    distDir: dist,
    api: createApi(ctx),
    frameAncestors: frameAncestorsFor(ctx),
    podConfig: podConfigFor(ctx),
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dist, { recursive: true, force: true });
});

const blockOf = (html: string) =>
  new RegExp(`<script type="application/json" id="${POD_CONFIG_ELEMENT_ID}">(.*?)</script>`).exec(html)?.[1];

describe('GET /pod?t=… carries the pod config', () => {
  it("a tenant's key: the block equals /api/pod-config's answer, before </head>", async () => {
    const html = await (await app.request(`/pod?t=${keys.sandbox}&screen=agreement&id=1`)).text();
    const block = blockOf(html);
    expect(block).toBeDefined();
    expect(JSON.parse(block ?? '')).toEqual({
      hostOrigins: ['http://127.0.0.1:8787', 'https://cw.partner.example', odd],
    });
    const api = await app.request(`/api/pod-config?t=${keys.sandbox}`);
    expect(JSON.parse(block ?? '')).toEqual(await api.json());
    expect(html.indexOf(POD_CONFIG_ELEMENT_ID)).toBeLessThan(html.indexOf('</head>'));
  });

  it('a site with markup in it cannot close the block: < is escaped, the value survives JSON.parse', async () => {
    const html = await (await app.request(`/pod?t=${keys.sandbox}`)).text();
    expect(html).not.toContain('</script><b>');
    expect(JSON.parse(blockOf(html) ?? '').hostOrigins[2]).toBe(odd);
  });

  it.each([
    ['an unknown key', '/pod?t=nope-nope-nope-nope-nope-nope-nope'],
    ['no key', '/pod'],
    ['the app page', `/app?t=KEY`],
  ])('%s: no block', async (_name, path) => {
    const res = await app.request(path.replace('KEY', keys.sandbox));
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(POD_CONFIG_ELEMENT_ID);
  });
});
