// The marker every addition this product writes carries in its internal `description` (ConnectWise keeps
// it and never prints it on the invoice): it names the subscription and the write, so "synced" can be judged
// from ConnectWise's own additions (spec §8) even without our journal.
//   `<catalog description> [pax8:<subscriptionId>:<kind>:<write>]`
// `write` is the first 16 hex of SHA-256 over the write's idempotency key: stable across retries and processes.
import { createHash } from 'node:crypto';

export type AdditionMarker = {
  subscriptionId: string;
  /** The kind of line: 'recurring', 'prorate', 'extra-months', 'back-bill', … (lower case, dashes). */
  kind: string;
  /** 16 hex characters naming the write (see writeIdOf). */
  write: string;
};

const MARKER = /\[pax8:([A-Za-z0-9_-]{1,64}):([a-z][a-z-]{0,31}):([0-9a-f]{16})\]/;

/** The write part of a marker for an idempotency key. */
export const writeIdOf = (idempotencyKey: string): string =>
  createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);

export function markerFor(subscriptionId: string, kind: string, idempotencyKey: string): AdditionMarker {
  return { subscriptionId, kind, write: writeIdOf(idempotencyKey) };
}

export const markerText = (m: AdditionMarker): string => `[pax8:${m.subscriptionId}:${m.kind}:${m.write}]`;

/** The description to write: what was there (or the catalog text) without any old marker, then ours. */
export function withMarker(description: string | null | undefined, m: AdditionMarker): string {
  const base = (description ?? '').replace(MARKER, '').trim();
  return base ? `${base} ${markerText(m)}` : markerText(m);
}

/** The marker in an addition's description, or null for an addition this product did not write. */
export function parseMarker(description: string | null | undefined): AdditionMarker | null {
  const m = description ? MARKER.exec(description) : null;
  return m?.[1] && m[2] && m[3] ? { subscriptionId: m[1], kind: m[2], write: m[3] } : null;
}
