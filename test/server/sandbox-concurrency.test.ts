// The emulators' per-tenant concurrency cap (issue 11's benchmark: ConnectWise answers 429 with Retry-After
// beyond 10 concurrent requests per tenant). Off by default; counted per Authorization header.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createFaults } from '../../server/sandbox/faults.ts';

function appWith(faults: ReturnType<typeof createFaults>) {
  const app = new Hono();
  app.use(
    '*',
    faults.middleware((c, status, message) => c.json({ message }, status)),
  );
  app.get('/x', (c) => c.json({ ok: true }));
  return app;
}
const get = (app: Hono, who: string) => app.request('http://cw.test/x', { headers: { authorization: who } });

describe('maxConcurrent', () => {
  it('is off by default: 30 at once all answer 200', async () => {
    const faults = createFaults({ latencyMs: 20 });
    const app = appWith(faults);
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(app, 'a')));
    expect(answers.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(faults.counts.concurrencyRefused).toBe(0);
  });

  it('beyond 10 in flight for one tenant: 429 with Retry-After; another tenant is not counted', async () => {
    const faults = createFaults({ latencyMs: 20, maxConcurrent: 10, retryAfterSeconds: 2 });
    const app = appWith(faults);
    const answers = await Promise.all([
      ...Array.from({ length: 14 }, () => get(app, 'tenant-a')),
      ...Array.from({ length: 10 }, () => get(app, 'tenant-b')),
    ]);
    const a = answers.slice(0, 14);
    const b = answers.slice(14);
    expect(a.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = a.filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    expect(refused.every((r) => r.headers.get('retry-after') === '2')).toBe(true);
    expect(b.every((r) => r.status === 200)).toBe(true);
    expect(faults.counts.concurrencyRefused).toBe(4);
    // Once they are answered, the slots are free again.
    expect((await get(app, 'tenant-a')).status).toBe(200);
  });
});
