// Issue 12's SSRF finding, through the front door: POST /api/setup/test (no sign-in) with a site whose NAME
// resolves inside, or that redirects inside, reaches nothing inside and repeats nothing an upstream said.
// The app runs with the real guarded fetch; an injected resolver maps names to loopback test servers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../server/http/guarded-fetch.ts';
import type { Resolver } from '../../server/http/outbound-guard.ts';
import { type Harness, harness, sandboxSetup } from './setup-harness.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

let internal: Awaited<ReturnType<typeof serve>>;
let redirector: Awaited<ReturnType<typeof serve>>;
let chatty: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  // What an attacker wants to read: an internal service answering like ConnectWise.
  internal = await serve((_req, res) =>
    json(res, 200, { CompanyName: 'INTERNAL-SECRET', Codebase: 'v1/', VersionCode: 'INTERNAL-SECRET' }),
  );
  redirector = await serve((_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', `http://internal.test:${internal.port}/login/companyinfo/democw`);
    res.end('INTERNAL-SECRET redirect body');
  });
  // A public-looking site that answers, but fills every answer with text of its own.
  chatty = await serve((req, res) => {
    if (req.url?.includes('/login/companyinfo/'))
      return json(res, 200, {
        CompanyName: 'ECHO-FIELD',
        Codebase: 'v4_6_release/',
        VersionCode: 'ECHO-FIELD',
      });
    if (req.url?.includes('/token')) {
      res.statusCode = 418;
      return res.end('ECHO-BODY from the token endpoint');
    }
    json(res, 400, { code: 'ECHO', message: 'ECHO-BODY', errors: [{ message: 'ECHO-FIELD' }] });
  });
});
afterAll(() => {
  for (const s of [internal, redirector, chatty]) s.server.close();
});

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function resolver(entries: Record<string, string>): Resolver {
  return async (hostname) => {
    const address = entries[hostname];
    if (!address) throw new TypeError(`getaddrinfo ENOTFOUND ${hostname}`);
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

type Check = { id: string; ok: boolean; message: string };

describe('POST /api/setup/test: SSRF', () => {
  it.each([['127.0.0.1'], ['10.0.0.8'], ['::ffff:127.0.0.1'], ['fe80::1'], ['169.254.169.254']])(
    'a self-hosted site whose name resolves to %s is refused before any connection',
    async (address) => {
      const before = internal.hits.length;
      h = await harness({
        fetch: createGuardedFetch({ resolve: resolver({ 'cw.attacker.example': address }) }),
      });
      const res = await h.post(
        '/api/setup/test',
        sandboxSetup({ region: 'self-hosted', siteUrl: 'https://cw.attacker.example' }),
      );
      expect(res.status).toBe(200);
      const body = await res.json();
      const company = body.checks.find((c: Check) => c.id === 'cw-company');
      expect(company).toEqual({
        id: 'cw-company',
        label: 'ConnectWise company',
        ok: false,
        message:
          'Not connecting to ConnectWise: cw.attacker.example is a private, loopback or otherwise internal address; this server connects only to public addresses.',
      });
      expect(JSON.stringify(body)).not.toContain(address);
      expect(internal.hits.length).toBe(before);
    },
  );

  it('a redirect to an internal http:// service is refused without following it', async () => {
    const site = `http://cw.public.test:${redirector.port}`;
    const before = internal.hits.length;
    h = await harness({
      fetch: createGuardedFetch({
        resolve: resolver({ 'cw.public.test': '127.0.0.1', 'internal.test': '127.0.0.1' }),
        // For the test only: both loopback servers pass the address rule, so only "no redirects" is tested.
        allowedOrigins: () => [site, `http://internal.test:${internal.port}`],
      }),
    });
    const res = await h.post('/api/setup/test', sandboxSetup({ region: 'sandbox', siteUrl: site }));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).checks[0]).toEqual({
      id: 'cw-company',
      label: 'ConnectWise company',
      ok: false,
      message: `Not connecting to ConnectWise: cw.public.test:${redirector.port} answered with a redirect; redirects are not followed (enter the final address).`,
    });
    expect(text).not.toContain('INTERNAL');
    expect(internal.hits.length).toBe(before);
    expect(redirector.hits).toContain('GET /sandbox/cw/login/companyinfo/democw');
  });

  it("the answer never repeats an upstream's body or field values", async () => {
    const site = `http://cw.chatty.test:${chatty.port}`;
    h = await harness({
      fetch: createGuardedFetch({
        resolve: resolver({ 'cw.chatty.test': '127.0.0.1' }),
        allowedOrigins: () => [site],
      }),
    });
    const res = await h.post('/api/setup/test', sandboxSetup({ region: 'sandbox', siteUrl: site }));
    const text = await res.text();
    expect(JSON.parse(text).checks.map((c: Check) => [c.id, c.ok, c.message])).toEqual([
      ['cw-company', true, `Found company 'democw' at cw.chatty.test:${chatty.port}`],
      ['cw-keys', false, 'ConnectWise refused the sign-in: it answered HTTP 400'],
      ['pax8', false, 'Could not get a Pax8 token: it answered HTTP 418'],
    ]);
    expect(text).not.toContain('ECHO');
  });
});
