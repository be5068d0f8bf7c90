// POST /api/session: the pod hands over ConnectWise's getMemberAuthentication answer and the tenant key of
// its URL; the server finds the tenant by the key, checks the site + company id match it (a second factor),
// and asks ConnectWise itself whether the member hash is valid. Nothing the browser says is trusted beyond
// what that call confirms.
import { Hono } from 'hono';
import * as v from 'valibot';
import { verifyMember } from '../connectwise/index.ts';
import { AppError, isAppError } from '../errors.ts';
import { limitedAttempt } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { normaliseSite } from '../store/index.ts';
import { cwTargetOf } from '../tenant-clients.ts';
import type { ApiContext } from './deps.ts';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

export const MemberAuthSchema = v.object({
  site: text(300),
  companyid: text(100),
  memberid: text(100),
  memberHash: text(1000),
  memberContext: v.optional(v.string()),
  memberEmail: v.optional(v.string()),
  codeBase: v.optional(v.string()),
  /** The `t` of the pod URL ConnectWise loaded (the registered hosted setup). */
  tenantKey: text(100),
});
export type MemberAuth = v.InferOutput<typeof MemberAuthSchema>;

/** verifyMember's answer for a wrong hash, an unknown or an inactive member. */
const isRefusedMember = (error: unknown) => isAppError(error) && error.code === 'unauthorized';

export function sessionRoutes(ctx: ApiContext): Hono {
  return new Hono().post('/', async (c) => {
    const auth = await jsonBody(c, MemberAuthSchema);
    const site = normaliseSite(auth.site);
    // Keyed by the member tried, not the caller's IP (one IP behind a TLS proxy); only a hash ConnectWise
    // refuses counts, so an unreachable ConnectWise or an unconnected site locks nobody out.
    const key = `session:${site}|${auth.companyid.toLowerCase()}|${auth.memberid.toLowerCase()}`;
    const { tenant, member } = await limitedAttempt(c, ctx.limiter, key, isRefusedMember, async () => {
      const byKey = await ctx.repos.tenants.findByKey(auth.tenantKey);
      // The key names the tenant; the member's site and company must be that tenant's too.
      const tenant =
        byKey && byKey.cwSite === site && byKey.cwCompanyId.toLowerCase() === auth.companyid.toLowerCase()
          ? byKey
          : null;
      if (!tenant) {
        throw new AppError('not_found', 'This ConnectWise site is not connected yet — open /setup', {
          details: { reason: 'not_configured' },
        });
      }
      const member = await verifyMember({
        target: cwTargetOf(tenant),
        companyId: tenant.cwCompanyId,
        clientId: tenant.cwClientId,
        memberId: auth.memberid,
        memberHash: auth.memberHash,
        fetch: ctx.fetch,
      });
      return { tenant, member };
    });
    const name = `${member.firstName} ${member.lastName}`.trim() || member.identifier;
    const { token, expiresAt } = await ctx.sessions.sign({
      tenantId: tenant.id,
      memberId: member.identifier,
      memberName: name,
    });
    ctx.logger.info('session opened', { tenantId: tenant.id, member: member.identifier });
    return c.json({
      token,
      expiresAt: expiresAt.toISOString(),
      member: { id: member.identifier, name, email: member.email },
      tenant: { id: tenant.id, name: tenant.name },
    });
  });
}
