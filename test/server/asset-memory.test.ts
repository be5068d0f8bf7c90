// Hashed assets answered from memory (issue 13, pod load): read once with their .br/.gz copies, then served
// without touching the disk, with serveStatic's headers; a name not built yet is not remembered as missing,
// and a Range request still gets serveStatic's 206.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';

const dist = mkdtempSync(join(tmpdir(), 'pod-mem-'));
mkdirSync(join(dist, 'assets'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
const css = Buffer.from(`.pv-row{color:red}${' '.repeat(2000)}\n`);
const write = (name: string, bytes: Buffer) => {
  writeFileSync(join(dist, 'assets', name), bytes);
  writeFileSync(join(dist, 'assets', `${name}.br`), brotliCompressSync(bytes));
  writeFileSync(join(dist, 'assets', `${name}.gz`), gzipSync(bytes));
};

const app = createApp({
  env: { HOST_ORIGINS: [], SANDBOX: true },
  logger: silentLogger,
  now: () => new Date('2026-11-25T12:00:00Z'),
  distDir: dist,
});
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe('assets from memory', () => {
  it('a second answer comes from memory: the file removed from disk is still served, same headers', async () => {
    write('pod-Mem1.css', css);
    const first = await get('/assets/pod-Mem1.css', { 'Accept-Encoding': 'gzip, br' });
    expect(first.status).toBe(200);
    rmSync(join(dist, 'assets', 'pod-Mem1.css'));
    rmSync(join(dist, 'assets', 'pod-Mem1.css.br'));
    const second = await get('/assets/pod-Mem1.css', { 'Accept-Encoding': 'gzip, br' });
    expect(second.status).toBe(200);
    for (const res of [first, second]) {
      expect(res.headers.get('content-type')).toMatch(/^text\/css/);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const body = Buffer.from(await second.arrayBuffer());
    expect(second.headers.get('content-length')).toBe(String(body.length));
    expect(brotliDecompressSync(body).equals(css)).toBe(true);
  });

  it('a name asked before it was built is served once it is (a miss is not remembered)', async () => {
    expect((await get('/assets/pod-Late.css')).status).toBe(404);
    write('pod-Late.css', css);
    const res = await get('/assets/pod-Late.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(css)).toBe(true);
  });

  it('a Range request is left to serveStatic: 206 with the bytes asked for', async () => {
    write('pod-Range.css', css);
    await get('/assets/pod-Range.css');
    const res = await get('/assets/pod-Range.css', { Range: 'bytes=0-5' });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('.pv-ro');
  });
});
