// Identical pod views asked while one is being built share it (issue 13): the second asks nothing upstream and
// gets the same answer. A write between the two (an unbind here) is never hidden: the later view builds its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ace, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let release: () => void;
let held: Promise<void>;

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  // The view's Pax8 subscription list waits for the test: by then the view has read its company binding.
  let arrived: () => void = () => {};
  held = new Promise<void>((r) => {
    arrived = r;
  });
  const gate = new Promise<void>((r) => {
    release = r;
  });
  h.interceptUpstream(async (req, send) => {
    if (new URL(req.url).pathname.endsWith('/subscriptions')) {
      arrived();
      await gate;
    }
    return send(req);
  });
});
afterEach(() => h.close());

const view = () => h.call('GET', `/api/views/agreement/${agreementId}`);

describe('GET /api/views/agreement/:id shared in flight', () => {
  it('a second identical view while the first is built: no upstream call of its own, the same answer', async () => {
    const first = view();
    await held;
    const calls = h.upstreamCalls.length;
    const second = view();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.upstreamCalls.length).toBe(calls);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(200);
    expect(b).toEqual(a);
    expect(a.json.binding).not.toBeNull();
  });

  it('an unbind between the two: the later view is built afresh and shows the company unbound', async () => {
    const first = view();
    await held;
    const unbind = await h.call('DELETE', '/api/bindings/company', { cwCompanyId: ace.cwId });
    expect(unbind.status).toBe(200);
    const second = view();
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.json.binding).not.toBeNull();
    expect(b.status).toBe(200);
    expect(b.json.binding).toBeNull();
    expect(b.json.rows).toEqual([]);
  });
});
