// The pod's words when an apply's outcome is unknown (issue 9 §3): the server's 409 write_outcome_unknown,
// read through the real api client, becomes "checking whether it was written — try again after HH:MM".
import { describe, expect, it } from 'vitest';
import { createApi } from '../../client/state/api.ts';
import { applyFailureMessage } from '../../client/state/apply-outcome.ts';

const answering = (status: number, body: unknown) =>
  createApi({
    baseUrl: 'http://pod.test',
    getToken: () => 'token-1',
    fetch: async () => new Response(JSON.stringify(body), { status }),
  });

const utcClock = (at: Date) => at.toISOString().slice(11, 16);

async function failureOf(status: number, body: unknown): Promise<unknown> {
  try {
    await answering(status, body).post('/api/sync/apply', { planId: 'p1' });
  } catch (err) {
    return err;
  }
  throw new Error('the call did not fail');
}

describe('applyFailureMessage', () => {
  it.each([
    [
      'unknown outcome with the time to retry',
      409,
      {
        error: {
          code: 'write_outcome_unknown',
          message: 'ConnectWise did not answer in time; … try again after 12:02 UTC',
          details: { subscriptionId: 's1', retryAfter: '2020-09-20T12:02:00.000Z', keys: ['k'] },
        },
      },
      'ConnectWise did not answer in time; we are checking whether the addition was written — try again after 12:02. Nothing is written twice.',
    ],
    [
      'unknown outcome without a time',
      409,
      { error: { code: 'write_outcome_unknown', message: 'x' } },
      'ConnectWise did not answer in time; we are checking whether the addition was written — try again in two minutes. Nothing is written twice.',
    ],
    [
      'a limit: the server words',
      400,
      {
        error: {
          code: 'limit_exceeded',
          message: 'options.quantity: 21 is more than 10× the Pax8 quantity (2)',
          details: { field: 'options.quantity', limit: 20, value: 21 },
        },
      },
      'options.quantity: 21 is more than 10× the Pax8 quantity (2)',
    ],
  ])('%s', async (_name, status, body, words) => {
    expect(
      applyFailureMessage(await failureOf(status, body), 'The sync could not be applied', utcClock),
    ).toBe(words);
  });

  it('keeps the details of an error body on ApiError', async () => {
    const err = await failureOf(400, {
      error: { code: 'limit_exceeded', message: 'm', details: { field: 'f', limit: 1, value: 2 } },
    });
    expect(err).toMatchObject({
      code: 'limit_exceeded',
      status: 400,
      details: { field: 'f', limit: 1, value: 2 },
    });
  });
});
