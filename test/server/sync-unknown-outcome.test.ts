// A ConnectWise write that commits after the client's timeout never becomes two additions (issue 12 item 8,
// issue 9 §3). The emulated ConnectWise holds the recurring addition's POST past the client's 50 ms timeout;
// the write is 'unknown', retries are refused until ConnectWise is read after the write could still land
// (sentAt + 2 min), then the marker decides: found → nothing written again; not found → written once.
// Ace Chemical, Office 365 E3, 1 → 2 on 2020-09-09 (the guide's two additions), clock 2020-09-20 12:00 UTC.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectWiseError } from '../../server/connectwise/errors.ts';
import { isUnknownOutcome } from '../../server/connectwise/sync-adapter.ts';
import { writeIdOf } from '../../server/sync/marker.ts';
import { UNKNOWN_OUTCOME_WINDOW_MS } from '../../server/sync/outcome.ts';
import { aceE3Subscription, figures, guideAdditions, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now, cwTimeoutMs: 50 });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(async () => {
  await h.cw.faults.releaseHeld({ land: false });
  await h.close();
});

const e3Additions = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);
const at = (ms: number) => new Date(now.getTime() + ms);
const message =
  'ConnectWise did not answer in time; we are checking whether the addition was written — try again after 12:02 UTC';

async function plan() {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { planId: string; additions: { key: string; kind: string }[] };
}

async function apply(planId: string) {
  // The clock may have moved past the first session's lifetime: sign a fresh token each time.
  return h.call('POST', '/api/sync/apply', { planId }, { token: await h.tokenFor(h.tenant.id) });
}

const journalStates = async () =>
  (await h.repos.journal.forSubscription(h.tenant.id, subscriptionId)).map((j) => `${j.kind}:${j.state}`);

/** Plans, holds the first POST past the client's timeout, applies: the recurring create is unknown. */
async function timedOutApply() {
  const p = await plan();
  h.cw.faults.set({ holdWritesNext: 1 });
  const first = await apply(p.planId);
  expect(first.status, JSON.stringify(first.json)).toBe(409);
  expect(first.json.error).toEqual({
    code: 'write_outcome_unknown',
    message,
    details: {
      subscriptionId,
      retryAfter: '2020-09-20T12:02:00.000Z',
      keys: [p.additions[0]!.key],
      applied: [],
    },
  });
  expect(h.cw.faults.held).toBe(1); // ConnectWise still has the request
  expect(await journalStates()).toEqual(['recurring:unknown']);

  // An immediate retry is refused with the time, and sends nothing.
  const retry = await apply(p.planId);
  expect(retry.status).toBe(409);
  expect(retry.json.error.code).toBe('write_outcome_unknown');
  expect(retry.json.error.message).toBe(message);
  expect(h.cw.faults.counts.writes).toBe(0);
  return p;
}

describe('a ConnectWise write that commits after the client timed out', () => {
  it('lands late: the retry after the window finds its marker and writes nothing again', async () => {
    const p = await timedOutApply();
    await h.cw.faults.releaseHeld({ land: true });
    expect(e3Additions()).toHaveLength(1);
    expect(e3Additions()[0]?.description).toContain(writeIdOf(p.additions[0]!.key));

    // After the window the retry reads ConnectWise again and finds the write's marker.
    h.setNow(at(UNKNOWN_OUTCOME_WINDOW_MS));
    const res = await apply(p.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    expect(h.cw.faults.counts.writes).toBe(3); // the late recurring addition, the prorate and the back-bill, nothing twice
    expect(await journalStates()).toEqual(['recurring:done', 'extra:done', 'prorate:done']);
    // The recovered write is audited as such.
    const audit = await h.repos.audit.list(h.tenant.id, {});
    expect(audit.some((r) => (r.after as { recovered?: boolean } | null)?.recovered === true)).toBe(true);
  });

  it('found inside the window: a retry after it landed completes at once', async () => {
    const p = await timedOutApply();
    await h.cw.faults.releaseHeld({ land: true });
    h.setNow(at(30_000));
    const res = await apply(p.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    expect(h.cw.faults.counts.writes).toBe(3);
  });

  it('never lands: refused until sentAt + 2 min, then written exactly once', async () => {
    const p = await timedOutApply();
    await h.cw.faults.releaseHeld({ land: false });
    expect(e3Additions()).toEqual([]);

    h.setNow(at(UNKNOWN_OUTCOME_WINDOW_MS - 1_000));
    const early = await apply(p.planId);
    expect(early.status).toBe(409);
    expect(early.json.error.details.retryAfter).toBe('2020-09-20T12:02:00.000Z');

    h.setNow(at(UNKNOWN_OUTCOME_WINDOW_MS));
    const res = await apply(p.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    expect(h.cw.faults.counts.writes).toBe(3);
    expect(await journalStates()).toEqual(['recurring:done', 'extra:done', 'prorate:done']);
  });

  it('a new plan made meanwhile is refused too: the late write could land beside it', async () => {
    await timedOutApply();
    const p2 = await plan();
    const res = await apply(p2.planId);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('write_outcome_unknown');
    await h.cw.faults.releaseHeld({ land: true });
    const done = await apply(p2.planId);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    expect(h.cw.faults.counts.writes).toBe(3);
  });
});

describe('which failed writes have an unknown outcome', () => {
  const cwError = (kind: ConstructorParameters<typeof ConnectWiseError>[0], cause?: unknown) =>
    new ConnectWiseError(kind, 'upstream_unavailable', kind, cause === undefined ? {} : { cause });
  const refused = new TypeError('fetch failed', {
    cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
  });
  const reset = new TypeError('fetch failed', {
    cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
  });
  it.each([
    ['timeout', cwError('timeout'), true],
    ['5xx answer', cwError('server'), true],
    ['2xx with an unreadable body', cwError('bad_response'), true],
    ['connection reset mid-request', cwError('unreachable', reset), true],
    ['connection refused (never sent)', cwError('unreachable', refused), false],
    ['400 rejected', cwError('invalid'), false],
    ['429 rate limited', cwError('rate_limited'), false],
    ['403 forbidden', cwError('forbidden'), false],
    ['a non-ConnectWise error from the transport', new TypeError('socket hang up'), true],
  ])('%s → unknown: %s', (_name, err, unknown) => {
    expect(isUnknownOutcome(err)).toBe(unknown);
  });
});
