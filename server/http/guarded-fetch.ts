// The one `fetch` every upstream call goes through: the URL is vetted (outbound-guard.ts), the connection is
// made to the address that was vetted (node:http with a `lookup` that answers only that address; the Host
// header, TLS SNI and certificate check keep the original name), and a redirect is an error, never followed.
// node:http rather than an undici Agent because undici is not a dependency of this project (Node bundles it
// but does not export its Agent); node:http's `lookup` option is the documented way to pin the address.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  OutboundRefusedError,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
  vetUrl,
} from './outbound-guard.ts';

export type GuardedFetchOptions = {
  /** Name resolution; tests inject a table. Default node:dns lookup (all addresses). */
  resolve?: Resolver;
  /**
   * Origins allowed on any address: the sandbox's own origin, so its loopback emulators stay reachable.
   * Read at each request (the sandbox learns its port once listening). Empty by default.
   */
  allowedOrigins?: () => Iterable<string>;
  /** Trusted CA certificates (PEM) instead of Node's defaults: tests with their own certificate only. */
  ca?: string;
};

const redirects = new Set([301, 302, 303, 307, 308]);
const noBody = new Set([204, 205, 304]);

export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const resolve = options.resolve ?? systemResolver;
  const allowed = (origin: string) => {
    for (const o of options.allowedOrigins?.() ?? []) if (o === origin) return true;
    return false;
  };
  const pools = createPools(options.ca);

  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const vetted = await vetUrl(url, { resolve, allowed });
    const res = await pinnedRequest(url, init, vetted, pools.agentFor(url, vetted));
    if (redirects.has(res.status)) {
      await res.body?.cancel();
      throw new OutboundRefusedError(
        'redirect',
        url.host,
        `${url.host} answered with a redirect; redirects are not followed (enter the final address)`,
      );
    }
    return res;
  }) as typeof fetch;
}

/** Upstream pools kept per guard (origin × vetted address); the least recently used one closes beyond it. */
export const MAX_POOLS = 64;
/** Connections one pool opens at most; more requests wait for one (a burst cannot open thousands). */
export const MAX_SOCKETS_PER_POOL = 64;
/** Idle connections one pool keeps for reuse. */
export const MAX_FREE_SOCKETS_PER_POOL = 8;

/**
 * Keep-alive connection pools, one per upstream origin and vetted address: a pooled connection is only ever
 * reused for the origin and the address it was opened to, so a name that now resolves elsewhere gets a new
 * pool (after vetting), never an old connection. Bounded in pools, connections and idle connections.
 */
export function createPools(ca?: string) {
  const pools = new Map<string, HttpAgent | HttpsAgent>();
  const limits = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_POOL,
    maxFreeSockets: MAX_FREE_SOCKETS_PER_POOL,
  };
  return {
    agentFor(url: URL, vetted: ResolvedAddress): HttpAgent | HttpsAgent {
      const key = `${url.origin}|${vetted.address}`;
      let agent = pools.get(key);
      if (agent) {
        pools.delete(key);
      } else {
        agent =
          url.protocol === 'https:'
            ? new HttpsAgent({ ...limits, ...(ca ? { ca } : {}) })
            : new HttpAgent(limits);
      }
      pools.set(key, agent);
      if (pools.size > MAX_POOLS) {
        const [oldest, stale] = pools.entries().next().value as [string, HttpAgent];
        pools.delete(oldest);
        retire(stale);
      }
      return agent;
    },
    get size() {
      return pools.size;
    },
  };
}

/** A pool no longer used: its idle connections close now, its busy ones once their answer is read. */
function retire(agent: HttpAgent): void {
  (agent as HttpAgent & { keepAlive: boolean }).keepAlive = false;
  for (const sockets of Object.values(agent.freeSockets))
    for (const socket of sockets ?? []) socket.destroy();
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  // Our clients send JSON text only; anything else is a programming error, not a request to guess at.
  throw new TypeError('guarded fetch sends string or byte bodies only');
}

function pinnedRequest(
  url: URL,
  init: RequestInit,
  vetted: ResolvedAddress,
  agent: HttpAgent | HttpsAgent,
): Promise<Response> {
  const lookupPinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  const body = bodyOf(init.body);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise<Response>((done, fail) => {
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || (https ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: init.method ?? 'GET',
        headers,
        lookup: lookupPinned,
        agent,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        try {
          done(toResponse(res));
        } catch (error) {
          res.destroy();
          fail(error);
        }
      },
    );
    req.on('error', (cause) => fail(new TypeError('fetch failed', { cause })));
    req.end(body);
  });
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) throw new TypeError(`fetch failed: HTTP status ${status}`);
  if (noBody.has(status)) {
    res.resume();
    return new Response(null, { status, headers });
  }
  // We send no Accept-Encoding, but a server may compress anyway; fetch would decode it, so do we.
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  const decode =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  const stream: Readable = decode ? res.pipe(decode) : res;
  if (decode) {
    headers.delete('content-encoding');
    headers.delete('content-length');
    res.on('error', (error) => decode.destroy(error));
  }
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
}
