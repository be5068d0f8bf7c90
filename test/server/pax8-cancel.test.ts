// Pax8 client: subscriptions.cancel is retried like any DELETE; a retry that finds the subscription already
// PendingCancel/Cancelled after an uncertain attempt (answer lost, 5xx) is that attempt's success showing
// through. A certain refusal (a first-attempt 422, or one after a 429) stays an error.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { alreadyCancelled, createPax8Client } from '../../server/pax8/client.ts';
import {
  createDemoPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
} from '../../server/sandbox/pax8/index.ts';

const T0 = new Date('2026-11-25T12:00:00Z');
const aceId = '569b2306-579b-4499-a49b-1fe0559b2173';

type Loss = 'none' | 'answer lost' | 'gateway 502 after the write';

/** The client over the emulator; `loss` spoils the first DELETE's answer after the emulator has handled it. */
function wired(loss: Loss) {
  const emulator = createPax8Emulator({ data: createDemoPax8Data(T0), now: () => T0 });
  const deletes: number[] = [];
  let spoiled = false;
  const client = createPax8Client({
    baseURL: 'http://pax8.test/v1',
    ...demoPax8Credentials,
    now: () => T0,
    sleep: async () => {},
    fetch: async (input, init) => {
      const res = await emulator.app.request(String(input), init);
      if (init?.method !== 'DELETE') return res;
      deletes.push(res.status);
      if (loss === 'none' || spoiled) return res;
      spoiled = true;
      if (loss === 'answer lost') throw new TypeError('fetch failed: socket hang up');
      return Response.json({ message: 'Bad gateway' }, { status: 502 });
    },
  });
  return { ...emulator, client, deletes };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

const refusal = (status: string) =>
  `upstream_rejected: Pax8 refused DELETE /subscriptions/{id} (HTTP 422): Invalid Subscription Update: Subscription is already ${status}`;

describe('Pax8 client: cancel after an uncertain attempt', () => {
  it.each<[string, Loss, { preCancel?: boolean; faults?: object }, string, number[]]>([
    ['first answer lost, retry finds it PendingCancel', 'answer lost', {}, 'ok', [204, 422]],
    [
      'first answer a 502 after the write, retry finds it PendingCancel',
      'gateway 502 after the write',
      {},
      'ok',
      [204, 422],
    ],
    ['injected 500 before the write, retry cancels', 'none', { faults: { serverErrorNext: 1 } }, 'ok', [204]],
    [
      'injected 500, and someone had cancelled it: the goal holds',
      'none',
      { preCancel: true, faults: { serverErrorNext: 1 } },
      'ok',
      [422],
    ],
    [
      'already cancelled, first attempt: a certain refusal',
      'none',
      { preCancel: true },
      refusal('PendingCancel'),
      [422],
    ],
    [
      'already cancelled, after a 429 (never processed): still refused',
      'none',
      { preCancel: true, faults: { rateLimitNext: 1 } },
      refusal('PendingCancel'),
      [422],
    ],
  ])('%s', async (_name, loss, arrange, expected, deleteStatuses) => {
    const env = wired(loss);
    const [sub] = await env.client.subscriptions.all({ companyId: aceId, status: 'Active' });
    const id = sub!.id;
    if (arrange.preCancel) env.data.patchSubscription(id, { status: 'PendingCancel' }, T0);
    if (arrange.faults) env.faults.set(arrange.faults);
    const result = await outcome(env.client.subscriptions.cancel(id, '2026-12-31'));
    expect(result.replace(id, '{id}')).toBe(expected);
    // The attempts the handler answered (the injected 429/500 come from the fault middleware before it).
    expect(env.deletes.filter((s) => s !== 429 && s !== 500)).toEqual(deleteStatuses);
    expect((await env.client.subscriptions.get(id)).status).toBe('PendingCancel');
  });
});

describe('alreadyCancelled', () => {
  it.each([
    [422, 'Invalid Subscription Update: Subscription is already PendingCancel', true],
    [422, 'Invalid Subscription Update: Subscription is already Cancelled', true],
    [422, 'Subscription already canceled', true],
    [422, 'Subscriptions with a future start date cannot be updated', false],
    [422, undefined, false],
    [400, 'Subscription is already Cancelled', false],
    [404, 'Subscription x not found', false],
  ])('%i %s → %s', (status, message, expected) => {
    expect(alreadyCancelled(status, message)).toBe(expected);
  });
});
