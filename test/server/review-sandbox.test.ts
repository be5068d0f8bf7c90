// The sandbox emulators take input from anyone who reads /sandbox/credentials: a JSON-Patch path may not walk
// into Object.prototype (that would change every object of the server process, the real API's included).
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from './sandbox-cw-helpers.ts';

const polluted = () => (({}) as Record<string, unknown>).reviewPolluted;

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).reviewPolluted;
});

describe('CW emulator JSON-Patch paths', () => {
  it.each([
    '__proto__/reviewPolluted',
    '/__proto__/reviewPolluted',
    'constructor/prototype/reviewPolluted',
    'product/__proto__/reviewPolluted',
    '__proto__',
  ])('%s → 400, nothing polluted, the addition unchanged', async (path) => {
    const { call } = setup();
    const before = await call('GET', '/finance/agreements/1/additions/1');
    expect(before.status).toBe(200);
    const res = await call('PATCH', '/finance/agreements/1/additions/1', [
      { op: 'replace', path, value: { x: 1 } },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('InvalidObject');
    expect(polluted()).toBeUndefined();
    expect((await call('GET', '/finance/agreements/1/additions/1')).json).toEqual(before.json);
  });
});
