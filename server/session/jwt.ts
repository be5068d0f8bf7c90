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
});

export function createSessionSigner(options: SessionSignerOptions): SessionSigner {
  const { key, issuer, audience, ttlSeconds, now } = options;
  if (key.length < 32) throw new Error('Session key must be at least 32 bytes');
  const seconds = () => Math.floor(now().getTime() / 1000);

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
        const { sub, tid, name } = claims.output;
        return { ok: true, session: { tenantId: tid, memberId: sub, memberName: name } };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}
