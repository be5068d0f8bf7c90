// Issue 13: the guarded fetch keeps a keep-alive pool per upstream origin and vetted address, bounded in pools
// and in connections: calls to one upstream reuse a connection; another address never gets an old one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGuardedFetch,
  createPools,
  MAX_POOLS,
  MAX_SOCKETS_PER_POOL,
} from '../../server/http/guarded-fetch.ts';

/** node:http's Agent keeps its keepAlive option as a field; @types/node does not declare it. */
const keepsAlive = (agent: object) => (agent as { keepAlive?: boolean }).keepAlive;

let server: Server;
let port: number;
const remotePorts: number[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    remotePorts.push(req.socket.remotePort!);
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

describe('upstream connection pools', () => {
  it('ten calls one after another to one upstream use one connection', async () => {
    const origin = `http://upstream.test:${port}`;
    const guarded = createGuardedFetch({
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      allowedOrigins: () => [origin],
    });
    remotePorts.length = 0;
    for (let i = 0; i < 10; i++) expect(await (await guarded(`${origin}/x`)).json()).toEqual({ ok: true });
    expect(remotePorts).toHaveLength(10);
    expect(new Set(remotePorts).size).toBe(1);
  });

  it('one pool per origin and vetted address, bounded in connections', () => {
    const pools = createPools();
    const url = new URL('https://api.pax8.com/v1/companies');
    const a = pools.agentFor(url, { address: '203.0.113.1', family: 4 });
    expect(pools.agentFor(url, { address: '203.0.113.1', family: 4 })).toBe(a);
    expect(pools.agentFor(url, { address: '203.0.113.2', family: 4 })).not.toBe(a);
    expect(
      pools.agentFor(new URL('https://other.example/x'), { address: '203.0.113.1', family: 4 }),
    ).not.toBe(a);
    expect(a.maxSockets).toBe(MAX_SOCKETS_PER_POOL);
    expect(keepsAlive(a)).toBe(true);
  });

  it(`keeps at most ${MAX_POOLS} pools; the least recently used one is retired`, () => {
    const pools = createPools();
    const first = pools.agentFor(new URL('https://u0.example'), { address: '203.0.113.1', family: 4 });
    for (let i = 1; i <= MAX_POOLS; i++)
      pools.agentFor(new URL(`https://u${i}.example`), { address: '203.0.113.1', family: 4 });
    expect(pools.size).toBe(MAX_POOLS);
    expect(keepsAlive(first)).toBe(false);
    expect(pools.agentFor(new URL('https://u0.example'), { address: '203.0.113.1', family: 4 })).not.toBe(
      first,
    );
  });
});
