import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { AppError } from '../../server/errors.ts';
import { createLogger, silentLogger } from '../../server/log.ts';

const now = () => new Date('2026-11-25T12:00:00Z');

function appWith(api?: Hono) {
  return createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger: silentLogger,
    now,
    distDir: '/nonexistent',
    ...(api ? { api } : {}),
  });
}

describe('createApp', () => {
  it('answers /health', async () => {
    const res = await appWith().request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, sandbox: true, time: '2026-11-25T12:00:00.000Z' });
  });

  it('renders AppError as { error: { code, message } } with its status', async () => {
    const api = new Hono().get('/boom', () => {
      throw new AppError('conflict', 'Already applied', { details: { planId: 'p1' } });
    });
    const res = await appWith(api).request('/api/boom');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'conflict', message: 'Already applied', details: { planId: 'p1' } },
    });
  });

  it('never echoes an unknown error', async () => {
    const api = new Hono().get('/oops', () => {
      throw new Error('password=hunter2 leaked');
    });
    const res = await appWith(api).request('/api/oops');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('hunter2');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await appWith().request('/api/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});

describe('readEnv', () => {
  it('defaults to sandbox on 127.0.0.1:8787', () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      PORT: 8787,
      HOST: '127.0.0.1',
      SANDBOX: true,
      DATA_DIR: './data',
      HOST_ORIGINS: [],
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ APP_SECRET: 'short' }, 'APP_SECRET'],
    [{ HOST_ORIGINS: 'not a url' }, 'HOST_ORIGINS'],
    [{ SANDBOX: 'maybe' }, 'SANDBOX'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ SANDBOX_TODAY: '2027-02-29' }, 'SANDBOX_TODAY'],
    [{ SANDBOX_TODAY: '20/11/2026' }, 'SANDBOX_TODAY'],
    // Past the sandbox's last day the first emulated ConnectWise read failed mid-invoicing (a 500 on every call).
    [{ SANDBOX_TODAY: '9999-12-31' }, 'SANDBOX_TODAY'],
  ])('rejects %j with a message naming %s', (source, name) => {
    expect(() => readEnv(source)).toThrow(name);
  });

  it('reads TRUST_PROXY as a hop count, 0 by default (X-Forwarded-For ignored)', () => {
    expect([readEnv({}).TRUST_PROXY, readEnv({ TRUST_PROXY: '1' }).TRUST_PROXY]).toEqual([0, 1]);
  });

  it('takes SANDBOX_TODAY as a date, unset by default (the real date)', () => {
    expect(readEnv({ SANDBOX_TODAY: '2028-02-29' }).SANDBOX_TODAY).toBe('2028-02-29');
    expect(readEnv({}).SANDBOX_TODAY).toBeUndefined();
  });

  it('splits HOST_ORIGINS', () => {
    expect(readEnv({ HOST_ORIGINS: 'https://a.example, https://b.example' }).HOST_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});

describe('logger', () => {
  it('masks secret-named fields at any depth', () => {
    const lines: string[] = [];
    createLogger((l) => lines.push(l)).warn('upstream failed', {
      path: '/api/setup',
      privateKey: 'p1',
      request: { headers: { Authorization: 'Basic abc' }, body: [{ clientSecret: 's1', name: 'ok' }] },
    });
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'upstream failed',
      path: '/api/setup',
      privateKey: '[redacted]',
      request: {
        headers: { Authorization: '[redacted]' },
        body: [{ clientSecret: '[redacted]', name: 'ok' }],
      },
    });
    expect(lines[0]).not.toMatch(/p1|abc|s1/);
  });
});
