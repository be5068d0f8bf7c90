// POST /api/session: the pod hands over ConnectWise's getMemberAuthentication answer and the tenant key of
// its URL; the server finds the tenant by the key, checks the site + company id match it (a second factor),
// and asks ConnectWise itself whether the member hash is valid. Nothing the browser says is trusted beyond
// what that call confirms.
import { Hono } from 'hono';
import * as v from 'valibot';
import { verifyMember } from '../connectwise/index.ts';
import { AppError, isAppError } from '../errors.ts';
import { type Attempt, beginAttempt, clientIp } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { createMemberVerdicts } from '../session/member-verdicts.ts';
import { normaliseSite } from '../store/index.ts';
import { cwTargetOf } from '../tenant-clients.ts';
import type { ApiContext } from './deps.ts';
import { viewTextsOf } from './views.ts';

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
  /**
   * The record the pod shows (its URL's screen and id): the answer then carries that view too, so the pod
   * shows its rows without a second round trip. Built only once the member is confirmed.
   */
  view: v.optional(
    v.object({
      kind: v.picklist(['agreement', 'company']),
      id: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(9_999_999_999)),
    }),
  ),
});
export type MemberAuth = v.InferOutput<typeof MemberAuthSchema>;

/** verifyMember's answer for a wrong hash, an unknown or an inactive member. */
const isRefusedMember = (error: unknown) => isAppError(error) && error.code === 'unauthorized';

/**
 * The one answer for an unconnected site and a member ConnectWise refused: same status, code and message,
 * so the answer does not tell which sites are connected here.
 */
export const signInFailedMessage =
  'Sign-in failed: this ConnectWise site is not connected here (an admin opens /setup), or ConnectWise did not confirm the member';
const signInFailed = () => new AppError('sign_in_failed', signInFailedMessage);

type Outcome = 'ok' | 'unknown_site' | 'refused' | 'upstream_failed';

export function sessionRoutes(ctx: ApiContext): Hono {
  const verdicts = createMemberVerdicts();
  return new Hono().post('/', async (c) => {
    const auth = await jsonBody(c, MemberAuthSchema);
    const site = normaliseSite(auth.site);
    const ip = clientIp(c, ctx.trustProxy);
    const member = auth.memberid.toLowerCase();
    const fields = { member, site, companyId: auth.companyid, ip };
    let attempt: Attempt;
    try {
      attempt = await beginAttempt(c, ctx.limiter, [
        { kind: 'ip', key: `ip:${ip}` },
        { kind: 'subject', key: `session:${site}|${auth.companyid.toLowerCase()}|${member}|${ip}` },
      ]);
    } catch (error) {
      ctx.logger.warn('sign-in failed', { reason: 'rate_limited', ...fields });
      throw error;
    }
    // Every failure counts for the caller's IP (an unreachable ConnectWise too: probing has a price); only a
    // refusal or an unconnected site counts for the member at that IP. A success clears the member's count
    // but not the IP's, so a caller cannot reset its own count by signing in with its own account.
    let outcome: Outcome = 'upstream_failed';
    try {
      const byKey = await ctx.repos.tenants.findByKey(auth.tenantKey);
      // The key names the tenant; the member's site and company must be that tenant's too.
      const tenant =
        byKey && byKey.cwSite === site && byKey.cwCompanyId.toLowerCase() === auth.companyid.toLowerCase()
          ? byKey
          : null;
      if (!tenant) {
        outcome = 'unknown_site';
        throw signInFailed();
      }
      const target = cwTargetOf(tenant);
      // What ConnectWise's confirmation depended on: a confirmation kept for exactly these is reused (a minute).
      const facts = [
        tenant.id,
        JSON.stringify(target),
        tenant.cwCompanyId,
        tenant.cwClientId,
        member,
        auth.memberHash,
      ];
      const verified =
        verdicts.get(facts) ??
        (await verifyMember({
          target,
          companyId: tenant.cwCompanyId,
          clientId: tenant.cwClientId,
          memberId: auth.memberid,
          memberHash: auth.memberHash,
          fetch: ctx.fetch,
        }).then(
          (confirmed) => {
            verdicts.set(facts, confirmed);
            return confirmed;
          },
          (error: unknown) => {
            if (!isRefusedMember(error)) throw error;
            outcome = 'refused';
            throw signInFailed();
          },
        ));
      outcome = 'ok';
      const name = `${verified.firstName} ${verified.lastName}`.trim() || verified.identifier;
      const session = { tenantId: tenant.id, memberId: verified.identifier, memberName: name };
      const { token, expiresAt } = await ctx.sessions.sign(session);
      ctx.logger.info('session opened', { tenantId: tenant.id, member: verified.identifier, ip });
      const answer = JSON.stringify({
        token,
        expiresAt: expiresAt.toISOString(),
        member: { id: verified.identifier, name, email: verified.email },
        tenant: { id: tenant.id, name: tenant.name },
      });
      // The first view rides along as the JSON text GET /api/views answers (shared with identical views in
      // flight). A view that cannot be built now is left out: the pod asks GET /api/views, which reports why.
      const wanted = auth.view;
      const view = wanted ? await viewTextsOf(ctx)(session, wanted.kind, wanted.id).catch(() => null) : null;
      const body =
        view === null || !wanted
          ? answer
          : `${answer.slice(0, -1)},"view":{"kind":"${wanted.kind}","id":${wanted.id},"data":${view}}}`;
      return c.body(body, 200, { 'Content-Type': 'application/json' });
    } catch (error) {
      const code = isAppError(error) ? error.code : 'internal';
      ctx.logger.warn('sign-in failed', {
        reason: outcome === 'upstream_failed' ? code : outcome,
        ...fields,
      });
      throw error;
    } finally {
      await attempt.end(({ kind }) =>
        outcome === 'ok'
          ? kind === 'ip'
            ? 'release'
            : 'ok'
          : kind === 'ip' || outcome !== 'upstream_failed'
            ? 'fail'
            : 'release',
      );
    }
  });
}
