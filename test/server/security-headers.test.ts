// Security headers, page × header (issue 12 item 6): a full CSP per page with no 'unsafe-inline', framing only
// for the pages ConnectWise frames (pod, app), 'none' + X-Frame-Options DENY elsewhere (`/` included), HSTS
// in live mode only, and the common headers on every answer.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { pageCsp } from '../../server/http/security-headers.ts';
import { silentLogger } from '../../server/log.ts';
import { createSandbox } from '../../server/sandbox/index.ts';

const now = () => new Date('2026-11-25T12:00:00Z');
const distDir = mkdtempSync(join(tmpdir(), 'pod-dist-'));
for (const entry of ['pod', 'app', 'setup', 'sandbox-host']) {
  mkdirSync(join(distDir, entry));
  writeFileSync(
    join(distDir, entry, 'index.html'),
    `<!doctype html><script type="module" src="/assets/${entry}.js"></script>`,
  );
}

const seen: string[] = [];
function appIn(mode: 'sandbox' | 'live') {
  const sandbox = mode === 'sandbox';
  return createApp({
    env: { HOST_ORIGINS: ['https://cw.partner.example'], SANDBOX: sandbox },
    logger: silentLogger,
    now,
    distDir,
    ...(sandbox ? { sandbox: createSandbox({ distDir }).app } : {}),
    frameAncestors: (c: Context) => {
      seen.push(c.req.path);
      return ['https://tenant.example'];
    },
  });
}

const csp = (res: Response) =>
  Object.fromEntries(
    (res.headers.get('content-security-policy') ?? '').split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );

// Per-tenant framing: the hook's answer (the tenant its key names) is the whole list, nothing global is added.
const podAncestors = 'https://tenant.example';

/** [path, frame-ancestors, X-Frame-Options, frame-src] */
const pages: [string, string, string | null, string][] = [
  ['/pod?screen=agreement&id=1', podAncestors, null, "'none'"],
  ['/app', podAncestors, null, "'none'"],
  ['/setup', "'none'", 'DENY', "'none'"],
  ['/', "'none'", 'DENY', "'none'"],
  ['http://127.0.0.1:8787/sandbox/host', "'none'", 'DENY', "'self' http://localhost:8787"],
];

describe('page × header (sandbox mode)', () => {
  const app = appIn('sandbox');

  it.each(pages)(
    '%s: frame-ancestors %s, X-Frame-Options %s, frame-src %s',
    async (path, ancestors, xfo, frameSrc) => {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      const policy = csp(res);
      expect({
        'default-src': policy['default-src'],
        'script-src': policy['script-src'],
        'connect-src': policy['connect-src'],
        'img-src': policy['img-src'],
        'object-src': policy['object-src'],
        'base-uri': policy['base-uri'],
        'frame-src': policy['frame-src'],
        'frame-ancestors': policy['frame-ancestors'],
        xfo: res.headers.get('x-frame-options'),
        nosniff: res.headers.get('x-content-type-options'),
        referrer: res.headers.get('referrer-policy'),
        permissions: res.headers.get('permissions-policy')?.includes('camera=()'),
        hsts: res.headers.get('strict-transport-security'),
      }).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'connect-src': "'self'",
        'img-src': "'self' data:",
        'object-src': "'none'",
        'base-uri': "'none'",
        'frame-src': frameSrc,
        'frame-ancestors': ancestors,
        xfo,
        nosniff: 'nosniff',
        referrer: 'no-referrer',
        permissions: true,
        hsts: null,
      });
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    },
  );

  it('gives the frame-ancestors hook the request (tenant-key narrows it per tenant)', async () => {
    seen.length = 0;
    await app.request('/pod');
    await app.request('/app');
    expect(seen).toEqual(['/pod', '/app']);
  });

  it("allows the home page's one inline style by its hash, and nothing else inline", async () => {
    const res = await app.request('/');
    const html = await res.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(styles[0]!, 'utf8').digest('base64')}'`;
    expect(csp(res)['style-src']).toBe(`'self' ${hash}`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it.each([['/health'], ['/api/nope'], ['/sandbox/cw/v4_6_release/apis/3.0/system/info']])(
    '%s (not a page): default-src none, cannot be framed',
    async (path) => {
      const res = await app.request(path);
      expect([
        csp(res)['default-src'],
        csp(res)['frame-ancestors'],
        res.headers.get('x-frame-options'),
      ]).toEqual(["'none'", "'none'", 'DENY']);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );
});

describe('pageCsp', () => {
  it("an empty frame-ancestors list means nobody: 'none', never an empty directive", () => {
    expect(pageCsp({ frameAncestors: [] })).toContain("frame-ancestors 'none'");
  });
});

describe('live mode', () => {
  const app = appIn('live');
  it.each([['/pod'], ['/app'], ['/setup'], ['/'], ['/health'], ['/api/nope']])(
    '%s carries HSTS for a year with subdomains',
    async (path) => {
      const res = await app.request(path);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    },
  );
});

describe('what Vite builds the pages from', () => {
  it.each([['pod'], ['app'], ['setup'], ['sandbox-host']])(
    'client/%s/index.html has no inline script (script-src needs no hash)',
    (entry) => {
      const html = readFileSync(resolve(import.meta.dirname, '../../client', entry, 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc=/);
        expect(body?.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\sstyle=/);
    },
  );
});
