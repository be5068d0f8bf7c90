// Test helpers for the ConnectWise client tests: a fetch that records requests and answers from a handler.
import type { ConnectWiseClientOptions } from '../../server/connectwise/index.ts';
import { createConnectWiseClient } from '../../server/connectwise/index.ts';

export type Seen = { method: string; url: string; headers: Headers; body: string };

export function recordingFetch(handler: (req: Request, n: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: await req.clone().text() });
    return handler(req, seen.length);
  };
  return { fetch: fetchFn as typeof fetch, seen };
}

export const apiKey = { kind: 'apiKey', publicKey: 'pub123', privateKey: 'sEcReTpRiVaTe' } as const;

/** A client on an explicit base with a sleep that records its waits instead of waiting. */
export function testClient(fetchFn: typeof fetch, extra: Partial<ConnectWiseClientOptions> = {}) {
  const waits: number[] = [];
  const client = createConnectWiseClient({
    apiBaseUrl: 'http://cw.test/v4_6_release/apis/3.0',
    companyId: 'acme',
    clientId: 'client-guid',
    auth: apiKey,
    fetch: fetchFn,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  } as ConnectWiseClientOptions);
  return { client, waits };
}

export const cwJson = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
