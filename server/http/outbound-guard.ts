// Which addresses this server may connect to for a tenant-supplied URL (a self-hosted ConnectWise site, a
// stored API base URL): only public unicast ones. The ranges are ipaddr.js's own, not hand-written, so
// loopback, private, link-local, unique-local, CGNAT, multicast, unspecified, IPv4-mapped/translated IPv6
// and the cloud metadata addresses are all refused. A name is resolved once, every address it has is
// checked, and the caller connects to the address that was checked (pinned-fetch.ts), so a DNS answer
// that changes between the check and the connection (rebinding) cannot reach inside.
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** All addresses of a name (node:dns lookup with all: true); tests inject a fixed table. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Cloud instance metadata services, refused by name even if a range table ever called them public. */
const metadataAddresses = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2']);

export type RefusalReason = 'scheme' | 'address' | 'redirect';

/** A connection this server will not make. The message is ours and names only what the caller gave us. */
export class OutboundRefusedError extends Error {
  readonly reason: RefusalReason;
  readonly host: string;
  constructor(reason: RefusalReason, host: string, message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
    this.reason = reason;
    this.host = host;
  }
}

/** The refusal anywhere in an error's cause chain (the clients wrap what fetch throws). */
export function outboundRefusalOf(error: unknown): OutboundRefusedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current instanceof OutboundRefusedError) return current;
    current = current.cause;
  }
  return undefined;
}

/** The ipaddr.js range of an address when it is not a public unicast one (e.g. 'loopback'), else null. */
export function forbiddenRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.parse(address);
  if (metadataAddresses.has(parsed.toNormalizedString()) || metadataAddresses.has(parsed.toString()))
    return 'metadata';
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

export type VetOptions = {
  resolve: Resolver;
  /** Origins exempt from the address rule (the sandbox's own emulators on loopback). */
  allowed: (origin: string) => boolean;
};

/**
 * Resolves the URL's host and returns the one address to connect to; throws OutboundRefusedError when the
 * scheme is not http(s) or any address of the name is not public (unless the origin is allow-listed).
 * A name that does not resolve throws what the resolver threw (a plain network failure).
 */
export async function vetUrl(url: URL, options: VetOptions): Promise<ResolvedAddress> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OutboundRefusedError(
      'scheme',
      url.host,
      `Only http(s) addresses are used, not ${url.protocol}`,
    );
  }
  const hostname = bare(url.hostname);
  const literal = ipaddr.isValid(hostname);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: hostname, family: ipaddr.parse(hostname).kind() === 'ipv6' ? 6 : 4 }]
    : await options.resolve(hostname);
  const first = addresses[0];
  if (!first) throw new TypeError(`fetch failed: ${hostname} has no address`);
  if (options.allowed(url.origin)) return first;
  // Every address, not only the first: a name with one public and one private address is refused.
  if (addresses.some((a) => forbiddenRange(a.address) !== null)) {
    throw new OutboundRefusedError(
      'address',
      url.host,
      `${url.host} is a private, loopback or otherwise internal address; this server connects only to public addresses`,
    );
  }
  return first;
}
