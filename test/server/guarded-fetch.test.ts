// The SSRF guard under every upstream call: a name is resolved once (an injected resolver here), every
// address is checked with ipaddr.js ranges, the connection goes to the checked address, and a redirect
// is an error that follows nothing. Real loopback servers stand in for "internal" services.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../server/http/guarded-fetch.ts';
import {
  forbiddenRange,
  OutboundRefusedError,
  type ResolvedAddress,
  type Resolver,
} from '../../server/http/outbound-guard.ts';

type Hit = { host: string | undefined; path: string | undefined };

async function serve(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    hits.push({ host: req.headers.host, path: req.url });
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return { server, port, hits };
}

let internal: Awaited<ReturnType<typeof serve>>;
let redirector: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  internal = await serve((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ CompanyName: 'INTERNAL-SECRET-FIELD', Codebase: 'v1/' }));
  });
  redirector = await serve((_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', `http://internal.test:${internal.port}/admin`);
    res.end('INTERNAL-SECRET-BODY of the redirect');
  });
});
afterAll(() => {
  internal.server.close();
  redirector.server.close();
});

/** A resolver from a fixed table, counting the look-ups; unknown names fail like getaddrinfo. */
function table(entries: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const found = entries[hostname];
    if (!found) throw new TypeError(`getaddrinfo ENOTFOUND ${hostname}`);
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

async function refusal(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundRefusedError);
  return error as OutboundRefusedError;
}

describe('address rule (ipaddr.js ranges)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.8', 'private'],
    ['172.16.4.1', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['::ffff:8.8.8.8', 'ipv4Mapped'],
    ['fe80::1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fc00::5', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['8.8.8.8', null],
    ['2606:4700::1111', null],
  ])('%s → %s', (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });
});

describe('guarded fetch', () => {
  it.each([
    ['127.0.0.1'],
    ['10.1.2.3'],
    ['::ffff:127.0.0.1'],
    ['fe80::1'],
    ['169.254.169.254'],
    ['fd00:ec2::254'],
    ['100.64.0.7'],
  ])('refuses a name that resolves to %s, and connects nowhere', async (address) => {
    const resolve = table({ 'cw.attacker.example': [address] });
    const guarded = createGuardedFetch({ resolve });
    const before = internal.hits.length;
    const error = await refusal(guarded(`http://cw.attacker.example:${internal.port}/login`));
    expect([error.reason, resolve.calls]).toEqual(['address', ['cw.attacker.example']]);
    expect(error.message).not.toContain(address);
    expect(internal.hits.length).toBe(before);
  });

  it('refuses a name with one public and one private address', async () => {
    const guarded = createGuardedFetch({ resolve: table({ 'mixed.example': ['8.8.8.8', '10.0.0.1'] }) });
    expect((await refusal(guarded('https://mixed.example/'))).reason).toBe('address');
  });

  it.each([
    [`http://127.0.0.1:PORT/`],
    [`http://[::1]:PORT/`],
    [`http://[::ffff:7f00:1]:PORT/`],
    [`http://169.254.169.254/latest/meta-data/`],
  ])('refuses the literal address %s without resolving', async (template) => {
    const resolve = table({});
    const guarded = createGuardedFetch({ resolve });
    const error = await refusal(guarded(template.replace('PORT', String(internal.port))));
    expect([error.reason, resolve.calls]).toEqual(['address', []]);
  });

  it('refuses other schemes', async () => {
    const guarded = createGuardedFetch({ resolve: table({}) });
    expect((await refusal(guarded('file:///etc/passwd'))).reason).toBe('scheme');
  });

  it('connects to the address it checked, keeping the name in the Host header', async () => {
    // `.test` never resolves in DNS: the request can only arrive if the vetted address is used.
    let answers = 0;
    const resolve: Resolver = async () => {
      answers++;
      // A rebinding resolver: public-looking first, then internal. Only the first answer is ever used.
      return [{ address: answers === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const origin = `http://pinned.test:${internal.port}`;
    const guarded = createGuardedFetch({ resolve, allowedOrigins: () => [origin] });
    const res = await guarded(`${origin}/login/companyinfo/x?a=1`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Codebase: 'v1/' });
    expect(answers).toBe(1);
    expect(internal.hits.at(-1)).toEqual({
      host: `pinned.test:${internal.port}`,
      path: '/login/companyinfo/x?a=1',
    });
  });

  it('never follows a redirect, and says so in its own words', async () => {
    const origin = `http://cw.public.test:${redirector.port}`;
    const guarded = createGuardedFetch({
      resolve: table({ 'cw.public.test': ['127.0.0.1'], 'internal.test': ['127.0.0.1'] }),
      // Both allowed for the test: only the no-redirect rule stands between the two.
      allowedOrigins: () => [origin, `http://internal.test:${internal.port}`],
    });
    const before = internal.hits.length;
    const error = await refusal(guarded(`${origin}/login/companyinfo/x`));
    expect(error.reason).toBe('redirect');
    expect(error.message).not.toMatch(/INTERNAL|admin|internal\.test/);
    expect(internal.hits.length).toBe(before);
    expect(redirector.hits.length).toBeGreaterThan(0);
  });

  it('a name that does not resolve is a network failure, not a refusal', async () => {
    const guarded = createGuardedFetch({ resolve: table({}) });
    const error = await guarded('https://nowhere.example/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('guarded fetch over https', () => {
  // A test-only self-signed certificate for pinned.test (valid 2000–2199, so no test depends on the date).
  const fixtures = join(import.meta.dirname, 'fixtures');
  const cert = readFileSync(join(fixtures, 'pinned-test.cert.pem'), 'utf8');
  const key = readFileSync(join(fixtures, 'pinned-test.key.pem'), 'utf8');
  let tls: HttpsServer;
  let port = 0;
  const seen: { servername: string | undefined; host: string | undefined }[] = [];
  beforeAll(async () => {
    tls = createHttpsServer({ key, cert }, (req, res) => {
      seen.push({ servername: (req.socket as TLSSocket).servername || undefined, host: req.headers.host });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((done) => tls.listen(0, '127.0.0.1', done));
    port = (tls.address() as AddressInfo).port;
  });
  afterAll(() => {
    tls.close();
  });

  const guardedFor = (names: string[]) =>
    createGuardedFetch({
      resolve: table(Object.fromEntries(names.map((n) => [n, ['127.0.0.1']]))),
      allowedOrigins: () => names.map((n) => `https://${n}:${port}`),
      ca: cert,
    });

  it('connects to the checked address with SNI, Host and the certificate check on the original name', async () => {
    const res = await guardedFor(['pinned.test'])(`https://pinned.test:${port}/x`);
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect(seen.at(-1)).toEqual({ servername: 'pinned.test', host: `pinned.test:${port}` });
  });

  it('refuses a certificate for another name at the same address', async () => {
    const error = await guardedFor(['other.test'])(`https://other.test:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as TypeError).cause)).toContain('other.test');
  });
});
