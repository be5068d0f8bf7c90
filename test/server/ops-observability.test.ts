// Request ids, Retry-After and /metrics: every answer (errors too) carries X-Request-Id, a sane incoming one is
// kept, every log line written during a request names it; every 429/503 we send has Retry-After, upstream-caused
// ones included; /metrics serves Prometheus text to loopback callers or METRICS_TOKEN holders only.
import { tmpdir } from 'node:os';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { AppError } from '../../server/errors.ts';
import { createLogger } from '../../server/log.ts';
import { aceE3Subscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const loopback = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
const remote = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };

function loggingApp(lines: string[], metricsToken?: string) {
  const logger = createLogger((l) => lines.push(l));
  const api = new Hono()
    .get('/work', async (c) => {
      logger.info('step one');
      await new Promise((r) => setTimeout(r, 1));
      logger.info('step two');
      return c.json({ ok: true });
    })
    .get('/upstream-down', () => {
      throw new AppError('upstream_unavailable', 'ConnectWise failed');
    })
    .get('/bug', () => {
      throw new Error('boom');
    });
  return createApp({
    env: { HOST_ORIGINS: [], SANDBOX: false, ...(metricsToken ? { METRICS_TOKEN: metricsToken } : {}) },
    logger,
    now: () => now,
    distDir: tmpdir(),
    api,
  });
}

describe('request ids', () => {
  it('every answer has one, errors and unknown routes included; each request gets its own', async () => {
    const app = loggingApp([]);
    const ids = new Set<string>();
    for (const path of ['/health', '/api/work', '/api/upstream-down', '/api/bug', '/api/nope', '/nope']) {
      const res = await app.request(path);
      const id = res.headers.get('X-Request-Id');
      expect([path, id]).toEqual([path, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
      ids.add(id!);
    }
    expect(ids.size).toBe(6);
  });

  it('keeps a sane incoming X-Request-Id and replaces one that is not', async () => {
    const app = loggingApp([]);
    const keep = await app.request('/api/nope', { headers: { 'X-Request-Id': 'lb-1234_abc=' } });
    expect(keep.headers.get('X-Request-Id')).toBe('lb-1234_abc=');
    for (const bad of ['a b', 'x'.repeat(129), '<script>', 'id\u00e9']) {
      const res = await app.request('/health', { headers: { 'X-Request-Id': bad } });
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('every log line written while a request runs names that request, across awaits and in onError', async () => {
    const lines: string[] = [];
    const app = loggingApp(lines);
    const [a, b, c] = await Promise.all([
      app.request('/api/work'),
      app.request('/api/work', { headers: { 'X-Request-Id': 'req-b' } }),
      app.request('/api/bug', { headers: { 'X-Request-Id': 'req-c' } }),
    ]);
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string });
    expect(parsed.length).toBe(5);
    for (const line of parsed) expect(line.requestId).toEqual(expect.any(String));
    const of = (id: string | null) => parsed.filter((l) => l.requestId === id).map((l) => l.msg);
    expect(of(a.headers.get('X-Request-Id'))).toEqual(['step one', 'step two']);
    expect(of(b.headers.get('X-Request-Id'))).toEqual(['step one', 'step two']);
    expect(of(c.headers.get('X-Request-Id'))).toEqual(['unhandled error']);
  });
});

describe('Retry-After on every 429 and 503', { timeout: 20_000 }, () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ now });
  });
  afterEach(() => h.close());

  it('an AppError 503 of ours', async () => {
    const res = await loggingApp([]).request('/api/upstream-down');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('ConnectWise answering garbage (503 upstream_unavailable)', async () => {
    h.interceptUpstream(async (req, send) =>
      new URL(req.url).host === 'cw.test'
        ? new Response('<html>Maintenance</html>', { headers: { 'content-type': 'application/json' } })
        : send(req),
    );
    const id = h.agreementNamed('Ace Monthly').id;
    const res = await h.app.request(`http://pod.test/api/views/agreement/${id}`, {
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect([res.status, (await res.json()).error.code]).toEqual([503, 'upstream_unavailable']);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('Pax8 rate limiting us for longer than we wait (503 upstream_unavailable)', async () => {
    h.interceptUpstream(async (req, send) =>
      new URL(req.url).host === 'pax8.test'
        ? new Response('{"message":"slow down"}', { status: 429, headers: { 'retry-after': '3600' } })
        : send(req),
    );
    const id = h.agreementNamed('Ace Monthly').id;
    const res = await h.app.request(`http://pod.test/api/views/agreement/${id}`, {
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
  });
});

describe('/metrics', { timeout: 20_000 }, () => {
  it('serves loopback callers Prometheus text: requests by route and status with latency, upstream calls', async () => {
    const h = await createHarness({ now });
    try {
      const id = h.agreementNamed('Ace Monthly').id;
      expect((await h.call('GET', `/api/views/agreement/${id}`)).status).toBe(200);
      expect((await h.call('GET', '/api/views/agreement/abc')).status).toBe(400);
      const res = await h.app.request('http://pod.test/metrics', {}, loopback);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/views\/agreement\/:id",status="200",ok="true"\} \d+/,
      );
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/views\/agreement\/:id",status="400",ok="false"\} \d+/,
      );
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/views/);
      expect(text).toMatch(/upstream_requests_total\{api="connectwise",status="200"\} \d+/);
      expect(text).toMatch(/upstream_requests_total\{api="pax8",status="200"\} \d+/);
      expect(text).toContain('# TYPE sync_writes_unknown_outcome_total counter');
      expect(text).toContain('process_resident_memory_bytes');
    } finally {
      await h.close();
    }
  });

  it('counts ConnectWise writes by kind and outcome', async () => {
    const h = await createHarness({ now });
    try {
      const read = async () => {
        const text = await (await h.app.request('http://pod.test/metrics', {}, loopback)).text();
        // Every kind the planner writes (recurring, prorate, …), outcome written.
        const written = [...text.matchAll(/sync_writes_total\{kind="[^"]+",outcome="written"\} (\d+)/g)];
        return { written: written.reduce((sum, m) => sum + Number(m[1]), 0) };
      };
      const before = await read();
      const agreementId = h.agreementNamed('Ace Monthly').id;
      const subscriptionId = aceE3Subscription(h.pax8.data).id;
      const plan = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
      const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
      expect(applied.status).toBe(200);
      const after = await read();
      // Each write the apply reports was counted once, as written.
      expect(after.written - before.written).toBe(applied.json.applied.length);
      expect(applied.json.applied.length).toBeGreaterThanOrEqual(2);
    } finally {
      await h.close();
    }
  });

  it('refuses remote callers, proxied callers, and wrong tokens', async () => {
    const open = loggingApp([]);
    expect((await open.request('/metrics', {}, remote)).status).toBe(403);
    expect((await open.request('/metrics')).status).toBe(403);
    const proxied = await open.request(
      '/metrics',
      { headers: { 'x-forwarded-for': '203.0.113.9' } },
      loopback,
    );
    expect(proxied.status).toBe(403);
    // A proxy on the same host may name the public caller in RFC 7239's Forwarded or nginx's X-Real-IP alone.
    for (const headers of [{ forwarded: 'for=203.0.113.9;proto=https' }, { 'x-real-ip': '203.0.113.9' }]) {
      expect((await open.request('/metrics', { headers }, loopback)).status, JSON.stringify(headers)).toBe(
        403,
      );
    }
    const token = 'm'.repeat(24);
    const guarded = loggingApp([], token);
    expect((await guarded.request('/metrics', {}, loopback)).status).toBe(403);
    const wrong = await guarded.request('/metrics', {
      headers: { authorization: `Bearer ${'n'.repeat(24)}` },
    });
    expect(wrong.status).toBe(403);
    const right = await guarded.request(
      '/metrics',
      { headers: { authorization: `Bearer ${token}` } },
      remote,
    );
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('http_requests_total');
  });
});
