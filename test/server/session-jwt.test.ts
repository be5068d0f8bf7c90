import { describe, expect, it } from 'vitest';
import { createSessionSigner } from '../../server/session/jwt.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const at = (iso: string) => () => new Date(iso);
const base = { issuer: 'pax8-pod', audience: 'pod', ttlSeconds: 900 };
const session = { tenantId: 't-1', memberId: 'jsmith', memberName: 'Jane Smith' };

describe('createSessionSigner', () => {
  it('signs and verifies a session, expiring ttlSeconds later', async () => {
    const signer = createSessionSigner({ key, ...base, now: at('2026-11-25T12:00:00Z') });
    const { token, expiresAt } = await signer.sign(session);
    expect(expiresAt.toISOString()).toBe('2026-11-25T12:15:00.000Z');
    expect(await signer.verify(token)).toEqual({ ok: true, session });
  });

  it.each([
    ['forged signature (other key)', { key: otherKey }, 'invalid'],
    ['wrong audience', { audience: 'app' }, 'invalid'],
    ['wrong issuer', { issuer: 'someone-else' }, 'invalid'],
    ['expired (clock 15m01s later)', { now: at('2026-11-25T12:15:01Z') }, 'expired'],
  ] as const)('refuses a token checked with %s', async (_name, change, reason) => {
    const signer = createSessionSigner({ key, ...base, now: at('2026-11-25T12:00:00Z') });
    const { token } = await signer.sign(session);
    const checker = createSessionSigner({ key, ...base, now: at('2026-11-25T12:00:00Z'), ...change });
    expect(await checker.verify(token)).toEqual({ ok: false, reason });
  });

  it('accepts the token up to its last second', async () => {
    const signer = createSessionSigner({ key, ...base, now: at('2026-11-25T12:00:00Z') });
    const { token } = await signer.sign(session);
    const later = createSessionSigner({ key, ...base, now: at('2026-11-25T12:14:59Z') });
    expect((await later.verify(token)).ok).toBe(true);
  });

  it('a token verified once still expires on time for the same signer (its verdict is kept, not its validity)', async () => {
    let clock = new Date('2026-11-25T12:00:00Z');
    const signer = createSessionSigner({ key, ...base, now: () => clock });
    const { token } = await signer.sign(session);
    expect(await signer.verify(token)).toEqual({ ok: true, session });
    clock = new Date('2026-11-25T12:14:59Z');
    expect(await signer.verify(token)).toEqual({ ok: true, session });
    clock = new Date('2026-11-25T12:15:00Z');
    expect(await signer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(await signer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    // A forged token of the same claims is refused though the genuine one is remembered.
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    clock = new Date('2026-11-25T12:01:00Z');
    expect(await signer.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([['not-a-jwt'], ['a.b.c'], ['']])('refuses garbage %j', async (token) => {
    const signer = createSessionSigner({ key, ...base, now: at('2026-11-25T12:00:00Z') });
    expect(await signer.verify(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a short key', () => {
    expect(() => createSessionSigner({ key: new Uint8Array(16), ...base, now: () => new Date() })).toThrow(
      '32',
    );
  });
});
