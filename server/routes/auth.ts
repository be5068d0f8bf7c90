// Bearer sessions for /api: requireSession puts the verified { tenantId, memberId, memberName } on c.var.session.
// Later routers reuse it; sameTenant guards any resource that names its tenant.
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.ts';
import type { Session, SessionSigner } from '../session/jwt.ts';

export type ApiEnv = { Variables: { session: Session } };

export function bearerOf(c: Context): string | null {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** The tenant a bearer token names, NOT verified: only ever used to refuse work early, never to grant it. */
export function claimedTenantOf(token: string | null): string | null {
  const payload = token?.split('.')[1];
  if (!payload || payload.length > 4096) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims?.tid === 'string' ? claims.tid : null;
  } catch {
    return null;
  }
}

type Verified = Awaited<ReturnType<SessionSigner['verify']>>;
const verifiedOf = new WeakMap<Request, Promise<Verified>>();

/**
 * The verdict on this request's bearer token, checked once per request: the per-tenant load cap reads it
 * before the body, requireSession after, and an HMAC check is not free at a thousand requests a second.
 */
export function verifyBearer(c: Context, sessions: SessionSigner, token: string): Promise<Verified> {
  let verdict = verifiedOf.get(c.req.raw);
  if (!verdict) {
    verdict = sessions.verify(token);
    verifiedOf.set(c.req.raw, verdict);
  }
  return verdict;
}

/** The session of the bearer token; null without one; 401 when it is forged, malformed or expired. */
export async function optionalSession(c: Context, sessions: SessionSigner): Promise<Session | null> {
  const token = bearerOf(c);
  if (token === null) {
    if (c.req.header('authorization'))
      throw new AppError('unauthorized', 'Authorization must be a Bearer token');
    return null;
  }
  const result = await verifyBearer(c, sessions, token);
  if (!result.ok) {
    throw new AppError(
      'unauthorized',
      result.reason === 'expired' ? 'Your session has expired; reload the pod' : 'Invalid session token',
    );
  }
  return result.session;
}

export function requireSession(sessions: SessionSigner): MiddlewareHandler<ApiEnv> {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const session = await optionalSession(c, sessions);
    if (!session)
      throw new AppError('unauthorized', 'Sign in through ConnectWise: a Bearer session token is required');
    c.set('session', session);
    await next();
  });
}

/** A session of tenant A may never touch tenant B. */
export function sameTenant(session: Session, tenantId: string): void {
  if (session.tenantId !== tenantId)
    throw new AppError('forbidden', 'This session belongs to another tenant');
}
