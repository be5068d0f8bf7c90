import { describe, expect, it } from 'vitest';
import { cwJson, recordingFetch, testClient } from './connectwise-fakes.ts';

const addition = {
  id: 5,
  product: { id: 1, identifier: 'MS-365-E3' },
  billCustomer: 'Billable',
  quantity: 3,
};
const body = { product: { id: 1 }, billCustomer: 'Billable', quantity: 3 } as const;

/** Answers with the given statuses in order, then 200/201 with `ok`. */
function sequence(statuses: number[], ok: unknown, headers: Record<string, string> = {}) {
  return recordingFetch((req, n) => {
    const status = statuses[n - 1];
    if (status !== undefined) return cwJson({ code: 'X', message: 'failing' }, status, headers);
    return req.method === 'DELETE'
      ? new Response(null, { status: 204 })
      : cwJson(ok, req.method === 'POST' ? 201 : 200);
  });
}

describe('retries', () => {
  it.each<[string, number[], Record<string, string>, number[]]>([
    ['429 honours Retry-After seconds', [429], { 'Retry-After': '2' }, [2000]],
    ['429 without Retry-After backs off', [429, 429], {}, [500, 1000]],
    ['500 then 503 back off exponentially', [500, 503], {}, [500, 1000]],
  ])('GET: %s', async (_name, statuses, headers, waits) => {
    const { fetch, seen } = sequence(statuses, addition, headers);
    const { client, waits: slept } = testClient(fetch);
    expect(await client.additions.get(9, 5)).toMatchObject({ id: 5 });
    expect(slept).toEqual(waits);
    expect(seen.length).toBe(statuses.length + 1);
  });

  it('GET gives up after the configured retries with the last error', async () => {
    const { fetch, seen } = sequence([500, 500, 500, 500, 500], addition);
    const { client, waits } = testClient(fetch, { retries: 3 });
    await expect(client.additions.get(9, 5)).rejects.toMatchObject({
      code: 'upstream_unavailable',
      kind: 'server',
      upstreamStatus: 500,
    });
    expect(waits).toEqual([500, 1000, 2000]);
    expect(seen.length).toBe(4);
  });

  it('a Retry-After longer than the cap is returned as rate_limited, not slept through', async () => {
    const { fetch, seen } = sequence([429], addition, { 'Retry-After': '120' });
    const { client, waits } = testClient(fetch);
    await expect(client.additions.get(9, 5)).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    expect(waits).toEqual([]);
    expect(seen.length).toBe(1);
  });

  it.each<[string, number]>([
    ['500', 500],
    ['429', 429],
  ])('POST is never retried (%s)', async (_name, status) => {
    const { fetch, seen } = sequence([status], addition, { 'Retry-After': '1' });
    const { client, waits } = testClient(fetch);
    await expect(client.additions.create(9, body)).rejects.toBeInstanceOf(Error);
    expect(seen.map((s) => s.method)).toEqual(['POST']);
    expect(waits).toEqual([]);
  });

  it('PUT is retried', async () => {
    const { fetch, seen } = sequence([502], addition);
    const { client } = testClient(fetch);
    await client.additions.update(9, 5, body);
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual(body);
  });

  it.each<[string, { op: 'replace' | 'add' | 'remove'; path: string; value?: unknown }[], number]>([
    ['replace-only PATCH is retried', [{ op: 'replace', path: 'quantity', value: 4 }], 2],
    ['PATCH with add is not', [{ op: 'add', path: 'quantity', value: 4 }], 1],
    ['PATCH with remove is not', [{ op: 'remove', path: 'cancelledDate' }], 1],
  ])('%s', async (_name, ops, calls) => {
    const { fetch, seen } = sequence([500], addition);
    const { client } = testClient(fetch);
    await client.additions.patch(9, 5, ops).catch(() => undefined);
    expect(seen.length).toBe(calls);
  });

  it('DELETE whose first attempt failed ambiguously counts a 404 on retry as deleted', async () => {
    const { fetch, seen } = sequence([500, 404], null);
    const { client } = testClient(fetch);
    await expect(client.additions.delete(9, 5)).resolves.toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('DELETE of a missing addition on the first attempt is not_found', async () => {
    const { fetch } = sequence([404], null);
    const { client } = testClient(fetch);
    await expect(client.additions.delete(9, 5)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a request that never answers times out, is retried, then fails as upstream_unavailable', async () => {
    const hanging = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    let calls = 0;
    const counting = ((input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return hanging(input, init);
    }) as typeof fetch;
    const { client, waits } = testClient(counting, { timeoutMs: 5, retries: 1 });
    await expect(client.systemInfo()).rejects.toMatchObject({
      code: 'upstream_unavailable',
      kind: 'timeout',
      message: 'ConnectWise did not answer GET system/info within 5 ms',
    });
    expect(calls).toBe(2);
    expect(waits).toEqual([500]);
  });

  it('a POST that times out is not retried', async () => {
    let calls = 0;
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }) as typeof fetch;
    const { client } = testClient(hanging, { timeoutMs: 5 });
    await expect(client.additions.create(9, body)).rejects.toMatchObject({ kind: 'timeout' });
    expect(calls).toBe(1);
  });
});
