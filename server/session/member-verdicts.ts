// ConnectWise's confirmation of a member session, kept a minute per process: a technician opening the next
// screen signs the new pod in with the same member hash, and asking ConnectWise again is an internet round trip
// on the pod's path to its rows. Only confirmations are kept (a refusal is asked again every time), keyed by a
// SHA-256 of everything the check depended on (tenant, site, company, client id, member, exact hash), so a new
// hash or a reconnected tenant is asked afresh. A minute adds nothing to what a session token already grants
// for its whole life: a member switched off in ConnectWise can still open a pod for at most that long.
import { createHash } from 'node:crypto';
import type { VerifiedMember } from '../connectwise/verify-member.ts';

export const MEMBER_VERDICT_TTL_MS = 60_000;
export const MEMBER_VERDICTS_MAX = 1_000;

export type MemberVerdicts = {
  /** The confirmation kept for these facts, or undefined (never kept, or older than the TTL). */
  get(facts: readonly string[]): VerifiedMember | undefined;
  set(facts: readonly string[], member: VerifiedMember): void;
  size(): number;
};

/** `now`: a monotonic clock in ms (the product's calendar clock may jump in the sandbox; this must not). */
export function createMemberVerdicts(
  opts: { ttlMs?: number; max?: number; now?: () => number } = {},
): MemberVerdicts {
  const ttlMs = opts.ttlMs ?? MEMBER_VERDICT_TTL_MS;
  const max = opts.max ?? MEMBER_VERDICTS_MAX;
  const now = opts.now ?? (() => performance.now());
  const kept = new Map<string, { member: VerifiedMember; until: number }>();
  const keyOf = (facts: readonly string[]) =>
    createHash('sha256').update(JSON.stringify(facts)).digest('base64url');
  return {
    get(facts) {
      const key = keyOf(facts);
      const entry = kept.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        kept.delete(key);
        return undefined;
      }
      return entry.member;
    },
    set(facts, member) {
      const key = keyOf(facts);
      kept.delete(key);
      // The oldest goes first when full (a Map iterates in insertion order).
      while (kept.size >= max) kept.delete(kept.keys().next().value as string);
      kept.set(key, { member, until: now() + ttlMs });
    },
    size: () => kept.size,
  };
}
