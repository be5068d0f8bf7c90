// Hashed assets leave precompressed (brotli, else gzip, by Accept-Encoding) with a year of immutable caching;
// pages stay no-cache. The build writes the .br/.gz copies (vite.config.ts precompress); here they are made the
// same way in a temp dist so the test does not depend on a build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';

const dist = mkdtempSync(join(tmpdir(), 'pod-dist-'));
mkdirSync(join(dist, 'assets'));
mkdirSync(join(dist, 'pod'));
const script = `export const rows = ${JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ id: i, name: `row ${i}` })))};\n`;
const original = Buffer.from(script);
writeFileSync(join(dist, 'assets/pod-Ab12Cd34.js'), original);
writeFileSync(join(dist, 'assets/pod-Ab12Cd34.js.br'), brotliCompressSync(original));
writeFileSync(join(dist, 'assets/pod-Ab12Cd34.js.gz'), gzipSync(original));
writeFileSync(
  join(dist, 'pod/index.html'),
  '<!doctype html><script type="module" src="/assets/pod-Ab12Cd34.js"></script>',
);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const app = createApp({
  env: { HOST_ORIGINS: [], SANDBOX: true },
  logger: silentLogger,
  now: () => new Date('2026-11-25T12:00:00Z'),
  distDir: dist,
});

const get = (path: string, acceptEncoding?: string) =>
  app.request(path, acceptEncoding === undefined ? {} : { headers: { 'Accept-Encoding': acceptEncoding } });

describe('hashed assets', () => {
  it.each([
    ['br, gzip, deflate', 'br', (b: Buffer) => brotliDecompressSync(b)],
    ['gzip, deflate', 'gzip', (b: Buffer) => gunzipSync(b)],
    ['gzip, deflate, br, zstd', 'br', (b: Buffer) => brotliDecompressSync(b)],
  ])(
    'Accept-Encoding %s → Content-Encoding %s, the decoded body is the file',
    async (accept, encoding, decode) => {
      const res = await get('/assets/pod-Ab12Cd34.js', accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBeLessThan(original.length / 2);
      expect(decode(body).equals(original)).toBe(true);
    },
  );

  it('no Accept-Encoding: the file as built, still Vary and immutable', async () => {
    const res = await get('/assets/pod-Ab12Cd34.js');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(original)).toBe(true);
  });

  it('an unknown asset is a JSON 404, never cached for a year', async () => {
    const res = await get('/assets/pod-Zz99.js', 'br');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control') ?? '').not.toContain('immutable');
  });
});

describe('pages', () => {
  it('stay no-cache and uncompressed', async () => {
    const res = await get('/pod', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-encoding')).toBeNull();
  });
});

describe('GET /health before the router', () => {
  it('answers /health and /health?probe=1 with the security headers and a request id; /healthz is not it', async () => {
    for (const path of ['/health', '/health?probe=1']) {
      const res = await app.request(path, { headers: { 'X-Request-Id': 'lb-7' } });
      expect([res.status, res.headers.get('x-request-id'), res.headers.get('x-frame-options')]).toEqual([
        200,
        'lb-7',
        'DENY',
      ]);
      expect(await res.json()).toEqual({ ok: true, sandbox: true, time: '2026-11-25T12:00:00.000Z' });
    }
    expect((await app.request('/healthz')).status).toBe(404);
    expect((await app.request('/health', { method: 'POST' })).status).toBe(404);
  });
});
