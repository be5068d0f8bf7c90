// Session tokens: short-lived HS256 JWTs naming the tenant and the verified member. The only importer of jose.
import { errors, jwtVerify, SignJWT } from 'jose';
import * as v from 'valibot';

export type Session = { tenantId: string; memberId: string; memberName: string };

export type SessionSigner = {
  sign(session: Session): Promise<{ token: string; expiresAt: Date }>;
  /** The session, or a reason the caller turns into a 401. */
  verify(
    token: string,
  ): Promise<{ ok: true; session: Session } | { ok: false; reason: 'expired' | 'invalid' }>;
};

export type SessionSignerOptions = {
  key: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: () => Date;
};

const ClaimsSchema = v.object({
  sub: v.pipe(v.string(), v.minLength(1)),
  tid: v.pipe(v.string(), v.minLength(1)),
  name: v.string(),
  exp: v.number(),
  nbf: v.optional(v.number()),
});

/** Verified tokens kept per signer: a pod session asks a few times a minute, each token lives 15 minutes. */
export const VERIFIED_CACHE_MAX = 1000;

type Verified = { session: Session; exp: number; nbf: number | undefined };

export function createSessionSigner(options: SessionSignerOptions): SessionSigner {
  const { key, issuer, audience, ttlSeconds, now } = options;
  if (key.length < 32) throw new Error('Session key must be at least 32 bytes');
  const seconds = () => Math.floor(now().getTime() / 1000);
  // A token that passed the HMAC and the claims once is the same string with the same verdict until it expires:
  // re-checking it costs a key import and an HMAC per request. Only good verdicts are kept (a forged token is
  // not worth a slot), keyed by the whole token, and its time claims are checked again on every hit.
  const verified = new Map<string, Verified>();
  const remember = (token: string, entry: Verified) => {
    verified.delete(token);
    verified.set(token, entry); // Map order: least recently used first
    for (const oldest of verified.keys()) {
      if (verified.size <= VERIFIED_CACHE_MAX) break;
      verified.delete(oldest);
    }
  };

  return {
    async sign(session) {
      const iat = seconds();
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({ tid: session.tenantId, name: session.memberName })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(session.memberId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      const hit = verified.get(token);
      if (hit && (hit.nbf === undefined || hit.nbf <= seconds())) {
        // jose's rule: expired once exp <= now (no tolerance).
        if (hit.exp <= seconds()) {
          verified.delete(token);
          return { ok: false, reason: 'expired' };
        }
        remember(token, hit);
        return { ok: true, session: hit.session };
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer,
          audience,
          currentDate: now(),
          requiredClaims: ['exp', 'sub'],
        });
        const claims = v.safeParse(ClaimsSchema, payload);
        if (!claims.success) return { ok: false, reason: 'invalid' };
        const { sub, tid, name, exp, nbf } = claims.output;
        const session = Object.freeze({ tenantId: tid, memberId: sub, memberName: name });
        remember(token, { session, exp, nbf });
        return { ok: true, session };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}
