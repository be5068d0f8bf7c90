// The tenant-setup form at the edge: shape (valibot), then the human part — spaces around pasted keys
// are named and trimmed, URLs are checked — before anything is sent upstream.
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import type { Issue } from '../http/validate.ts';

export const SetupBodySchema = v.object({
  companyId: v.optional(v.string(), ''),
  publicKey: v.optional(v.string(), ''),
  /** Blank keeps the stored key (only with a session of that tenant). */
  privateKey: v.optional(v.string(), ''),
  clientId: v.optional(v.string(), ''),
  region: v.picklist(
    ['na', 'eu', 'au', 'self-hosted', 'sandbox'],
    'Region must be na, eu, au or self-hosted',
  ),
  siteUrl: v.optional(v.string(), ''),
  pax8: v.optional(
    v.object({ clientId: v.optional(v.string(), ''), clientSecret: v.optional(v.string(), '') }),
    { clientId: '', clientSecret: '' },
  ),
});
export type SetupBody = v.InferOutput<typeof SetupBodySchema>;

export type SetupInput = {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  region: SetupBody['region'];
  /** Origin only (https://host[:port]); set for self-hosted and sandbox. */
  siteUrl?: string;
  pax8: { clientId: string; clientSecret: string };
};

const labels = {
  companyId: 'Company ID',
  publicKey: 'Public key',
  privateKey: 'Private key',
  clientId: 'Client ID',
  siteUrl: 'Site URL',
  'pax8.clientId': 'Pax8 client ID',
  'pax8.clientSecret': 'Pax8 client secret',
} as const;
type Field = keyof typeof labels;

/** "Private key had a trailing space; it was trimmed", or null when there was nothing to trim. */
export function trimNote(label: string, raw: string): string | null {
  const lead = raw.length - raw.trimStart().length;
  const trail = raw.length - raw.trimEnd().length;
  if (raw.trim() === '' || (lead === 0 && trail === 0)) return null;
  const noun = (n: number, chars: string) =>
    /^ +$/.test(chars) ? (n === 1 ? 'space' : 'spaces') : 'whitespace';
  const where =
    lead && trail
      ? `leading and trailing ${noun(lead + trail, raw.slice(0, lead) + raw.slice(raw.length - trail))}`
      : lead
        ? `${lead === 1 && raw[0] === ' ' ? 'a ' : ''}leading ${noun(lead, raw.slice(0, lead))}`
        : `${trail === 1 && raw.endsWith(' ') ? 'a ' : ''}trailing ${noun(trail, raw.slice(raw.length - trail))}`;
  return `${label} had ${where}; it was trimmed`;
}

export type CleanOptions = {
  /** A session of the tenant may leave the stored secrets blank. */
  secretsOptional: boolean;
  sandboxAllowed: boolean;
};

/** Trims and checks; throws a 400 naming every bad field, or returns the input and the trim notes. */
export function cleanSetupInput(
  body: SetupBody,
  options: CleanOptions,
): { input: SetupInput; notes: string[] } {
  const notes: string[] = [];
  const issues: Issue[] = [];
  const raw: Record<Field, string> = {
    companyId: body.companyId,
    publicKey: body.publicKey,
    privateKey: body.privateKey,
    clientId: body.clientId,
    siteUrl: body.siteUrl,
    'pax8.clientId': body.pax8.clientId,
    'pax8.clientSecret': body.pax8.clientSecret,
  };
  const value = {} as Record<Field, string>;
  for (const field of Object.keys(labels) as Field[]) {
    const note = trimNote(labels[field], raw[field]);
    if (note) notes.push(note);
    value[field] = raw[field].trim();
  }

  const required: Field[] = ['companyId', 'publicKey', 'clientId', 'pax8.clientId'];
  if (!options.secretsOptional) required.push('privateKey', 'pax8.clientSecret');
  for (const field of required) {
    if (value[field] === '') issues.push({ path: field, message: `${labels[field]} is required` });
  }
  if (
    value.clientId &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.clientId)
  ) {
    issues.push({
      path: 'clientId',
      message: 'Client ID must be the GUID from developer.connectwise.com (like 1a2b3c4d-…)',
    });
  }

  let siteUrl: string | undefined;
  if (body.region === 'sandbox' && !options.sandboxAllowed) {
    issues.push({ path: 'region', message: 'The sandbox region is only available in sandbox mode' });
  } else if (body.region === 'self-hosted' || body.region === 'sandbox') {
    siteUrl = checkSiteUrl(value.siteUrl, body.region, issues);
  }

  if (issues.length > 0) {
    const first = issues[0];
    throw new AppError('bad_request', first ? first.message : 'Invalid setup', { details: issues });
  }
  return {
    input: {
      companyId: value.companyId,
      publicKey: value.publicKey,
      privateKey: value.privateKey,
      clientId: value.clientId,
      region: body.region,
      ...(siteUrl === undefined ? {} : { siteUrl }),
      pax8: { clientId: value['pax8.clientId'], clientSecret: value['pax8.clientSecret'] },
    },
    notes,
  };
}

function checkSiteUrl(text: string, region: 'self-hosted' | 'sandbox', issues: Issue[]): string | undefined {
  if (text === '') {
    issues.push({ path: 'siteUrl', message: 'Site URL is required for a self-hosted ConnectWise' });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    issues.push({
      path: 'siteUrl',
      message: `Site URL '${text}' is not a URL; enter it like https://cw.example.com`,
    });
    return undefined;
  }
  const httpAllowed = region === 'sandbox';
  if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) {
    issues.push({
      path: 'siteUrl',
      message: `Site URL must start with https:// (ConnectWise needs HTTPS); got '${url.protocol}//'`,
    });
    return undefined;
  }
  if (url.username || url.password) {
    issues.push({ path: 'siteUrl', message: 'Site URL must not contain a user name or password' });
    return undefined;
  }
  if (region === 'self-hosted' && isLocalHost(url.hostname)) {
    issues.push({
      path: 'siteUrl',
      message: `Site URL must be ConnectWise's own address, not this machine's or a link-local one ('${url.hostname}')`,
    });
    return undefined;
  }
  return url.origin;
}

/**
 * Loopback, link-local (cloud metadata at 169.254.169.254) and unspecified hosts: never a ConnectWise site,
 * and a setup form must not make this server probe them. This is only the quick 400 for a literal host; the guarded
 * fetch (http/outbound-guard.ts) refuses every non-public address, private ranges and names that resolve inside too.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^(127\.|169\.254\.|0\.)/.test(host) || host === '0') return true;
  if (host === '::1' || host === '::' || /^fe[89ab][0-9a-f]:/.test(host)) return true;
  // IPv4-mapped IPv6 (URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1).
  return /^::ffff:(7f|a9fe:|0:)/.test(host);
}
