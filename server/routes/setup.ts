// /api/setup: connect a tenant (test, save, read back) and register the pod in its ConnectWise.
// Rule: whoever proves valid ConnectWise API keys for a company may set up that company's tenant;
// afterwards a session of that tenant may change it without re-entering secrets. Nobody else can.

import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import { manifestFor } from '../../manifest/hosted-setups.ts';
import { createConnectWiseClient } from '../connectwise/index.ts';
import { AppError, isAppError } from '../errors.ts';
import {
  type Attempt,
  type AttemptOutcome,
  beginAttempt,
  clientIp,
  watchOutages,
} from '../http/rate-limit.ts';
import { jsonBody, queryOf } from '../http/validate.ts';
import { registrationClient } from '../registration/cw-adapter.ts';
import { publicUrlFor } from '../registration/public-url.ts';
import { register } from '../registration/register.ts';
import type { Session } from '../session/jwt.ts';
import type { CwRegion, Tenant } from '../store/index.ts';
import { normaliseSite } from '../store/index.ts';
import { clientsFor, pax8TokenCheck } from '../tenant-clients.ts';
import { type ApiEnv, optionalSession, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { type ConnectionResult, type ConnectionTarget, testConnection } from './setup-check.ts';
import { cleanSetupInput, SetupBodySchema, type SetupInput } from './setup-input.ts';
import { settingsRoutes } from './setup-settings.ts';

/** `?dryRun=1` must not be read as "not a dry run" and write to ConnectWise: only true/false are accepted. */
const flag = v.optional(v.picklist(['true', 'false'], 'must be true or false'));
export const RegisterQuerySchema = v.object({ dryRun: flag, remove: flag });

type Resolved = ConnectionTarget & {
  region: CwRegion;
  cwApiBaseUrl: string | null;
  pax8ApiBaseUrl: string | null;
};

/** Where a setup form points: cloud region, self-hosted site, or this server's sandbox. */
export function resolveTarget(input: SetupInput): Resolved {
  if (input.region === 'self-hosted' || input.region === 'sandbox') {
    const siteUrl = input.siteUrl ?? '';
    const site = normaliseSite(siteUrl);
    if (input.region === 'self-hosted') {
      return {
        region: 'self-hosted',
        site,
        infoSiteUrl: siteUrl,
        cw: { siteUrl },
        cwApiBaseUrl: null,
        pax8ApiBaseUrl: null,
      };
    }
    const apiBaseUrl = `${siteUrl}/sandbox/cw/v4_6_release/apis/3.0`;
    return {
      region: 'sandbox',
      site,
      infoSiteUrl: `${siteUrl}/sandbox/cw`,
      cw: { apiBaseUrl },
      cwApiBaseUrl: apiBaseUrl,
      pax8ApiBaseUrl: `${siteUrl}/sandbox/pax8/v1`,
    };
  }
  const site = `${input.region}.myconnectwise.net`;
  return {
    region: input.region,
    site,
    infoSiteUrl: `https://${site}`,
    cw: { region: input.region },
    cwApiBaseUrl: null,
    pax8ApiBaseUrl: null,
  };
}

/** How an attempt ended for a subject: proved the credentials, had them refused, or neither. */
type AttemptVerdict = 'ok' | 'refused' | 'none';
const outcomeOf = (verdict: AttemptVerdict): AttemptOutcome =>
  verdict === 'ok' ? 'ok' : verdict === 'refused' ? 'fail' : 'release';

/** Checks whose failure counts for the caller's IP: everything but a valid key's missing permissions. */
const countedChecks = new Set(['cw-company', 'cw-keys', 'pax8']);

/**
 * A failed test counts against the key only when an upstream refused what was entered: ConnectWise did not
 * know the company or refused the keys (while it answered normally), or Pax8 refused the client secret.
 * Missing permissions of valid keys, or an unreachable upstream, are not the caller guessing.
 */
function verdictOf(
  result: ConnectionResult,
  seen: { cwDown: boolean; pax8Refused: boolean },
): AttemptVerdict {
  if (result.ok) return 'ok';
  const failed = new Set(result.checks.filter((check) => !check.ok).map((check) => check.id));
  const cwRefused = !seen.cwDown && (failed.has('cw-company') || failed.has('cw-keys'));
  return cwRefused || seen.pax8Refused ? 'refused' : 'none';
}

const publicView = (t: Tenant) => ({
  id: t.id,
  name: t.name,
  cwSite: t.cwSite,
  cwCompanyId: t.cwCompanyId,
  cwRegion: t.cwRegion,
  cwApiBaseUrl: t.cwApiBaseUrl,
  cwClientId: t.cwClientId,
  cwPublicKey: t.cwPublicKey,
  privateKeySet: true,
  pax8ClientId: t.pax8ClientId,
  pax8ClientSecretSet: true,
  pax8ApiBaseUrl: t.pax8ApiBaseUrl,
  settings: t.settings,
  updatedAt: t.updatedAt,
});

export function setupRoutes(ctx: ApiContext): Hono<ApiEnv> {
  const { repos } = ctx;

  async function run(c: Context, save: boolean) {
    // A forged or expired token is a 401 before anything else is read.
    const session = await optionalSession(c, ctx.sessions);
    const body = await jsonBody(c, SetupBodySchema);
    const cleanOpts = { sandboxAllowed: ctx.sandbox === true };
    // First pass only to find the site and company; blank secrets are judged once we know who asks.
    const draft = cleanSetupInput(body, { ...cleanOpts, secretsOptional: true }).input;
    const target = resolveTarget(draft);
    // Each test calls ConnectWise and Pax8 with the keys given, so failed tries are limited per caller IP and
    // per company and site at that IP; only keys an upstream refused count for the company. The Pax8 secret
    // is tried whatever the company, so Pax8 refusals count per Pax8 client ID (at that IP) as well. Any
    // failed test counts for the IP, an unreachable or refused site too: that is how probing is bounded.
    const ip = clientIp(c, ctx.trustProxy);
    const fields = { companyId: draft.companyId, site: target.site, ip };
    const pax8Key = `setup-pax8:${draft.pax8.clientId.toLowerCase()}|${ip}`;
    let attempt: Attempt;
    try {
      attempt = await beginAttempt(c, ctx.limiter, [
        { kind: 'ip', key: `ip:${ip}` },
        { kind: 'subject', key: `setup:${draft.companyId.toLowerCase()}|${target.site}|${ip}` },
        { kind: 'subject', key: pax8Key },
      ]);
    } catch (error) {
      ctx.logger.warn('setup test failed', { reason: 'rate_limited', ...fields });
      throw error;
    }
    let verdict: AttemptVerdict = 'none';
    let ipOutcome: AttemptOutcome = 'release';
    // An object, not a let: the Pax8 check sets it from inside a callback.
    const pax8: { verdict: AttemptVerdict } = { verdict: 'none' };
    try {
      const existing = await repos.tenants.findBySite(target.site, draft.companyId);
      if (session && existing && session.tenantId !== existing.id) {
        throw new AppError('forbidden', 'This session belongs to another tenant');
      }
      const own = session !== null && existing !== null && session.tenantId === existing.id;
      const { input, notes } = cleanSetupInput(body, { ...cleanOpts, secretsOptional: own });
      const stored = own && existing ? await repos.tenants.secrets(existing.id) : null;
      const privateKey = input.privateKey || stored?.cwPrivateKey || '';
      const pax8Secret = input.pax8.clientSecret || stored?.pax8ClientSecret || '';

      const cwFetch = watchOutages(ctx.fetch);
      const cw = createConnectWiseClient({
        ...target.cw,
        companyId: input.companyId,
        clientId: input.clientId,
        auth: { kind: 'apiKey', publicKey: input.publicKey, privateKey },
        fetch: cwFetch.fetch,
        retries: 0,
        timeoutMs: 15_000,
      });
      const pax8BaseUrl = target.pax8ApiBaseUrl;
      const result = await testConnection(input.companyId, target, {
        fetch: cwFetch.fetch,
        cw,
        pax8Token: () =>
          pax8TokenCheck({
            baseURL: pax8BaseUrl,
            clientId: input.pax8.clientId,
            clientSecret: pax8Secret,
            fetch: ctx.fetch,
          }).then(
            () => {
              pax8.verdict = 'ok';
            },
            (error: unknown) => {
              if (isAppError(error) && error.code === 'upstream_auth') pax8.verdict = 'refused';
              throw error;
            },
          ),
      });
      verdict = verdictOf(result, { cwDown: cwFetch.down(), pax8Refused: pax8.verdict === 'refused' });
      const failed = result.checks.filter((check) => !check.ok).map((check) => check.id);
      if (failed.some((id) => countedChecks.has(id))) ipOutcome = 'fail';
      if (failed.length > 0) ctx.logger.warn('setup test failed', { reason: failed.join(','), ...fields });
      if (!save || !result.ok) return c.json({ ok: result.ok, saved: false, notes, checks: result.checks });

      const tenant = await repos.tenants.upsert({
        name: existing?.name ?? result.companyName ?? input.companyId,
        cwSite: target.site,
        cwCompanyId: input.companyId,
        cwRegion: target.region,
        cwApiBaseUrl: target.cwApiBaseUrl,
        cwClientId: input.clientId,
        cwPublicKey: input.publicKey,
        ...(input.privateKey ? { cwPrivateKey: input.privateKey } : {}),
        pax8ClientId: input.pax8.clientId,
        ...(input.pax8.clientSecret ? { pax8ClientSecret: input.pax8.clientSecret } : {}),
        pax8ApiBaseUrl: target.pax8ApiBaseUrl,
      });
      const actor = session?.memberId ?? `api-keys:${input.publicKey}`;
      await repos.audit.append(tenant.id, {
        actor,
        action: existing ? 'tenant.updated' : 'tenant.created',
        target: `tenant:${tenant.id}`,
        after: { cwSite: tenant.cwSite, cwCompanyId: tenant.cwCompanyId, cwRegion: tenant.cwRegion },
      });
      // The setup page has no ConnectWise member session; proving the keys earns a session for this tenant.
      // A session of another tenant (which just proved this one's keys) gets one for this tenant too, so the
      // token handed back always names the tenant the page now shows.
      const setupSession: Session =
        session?.tenantId === tenant.id
          ? session
          : {
              tenantId: tenant.id,
              memberId: actor,
              memberName: 'Setup (API keys)',
            };
      const { token, expiresAt } = await ctx.sessions.sign(setupSession);
      ctx.logger.info('tenant saved', { tenantId: tenant.id, site: tenant.cwSite });
      return c.json({
        ok: true,
        saved: true,
        message: `Connected: ${tenant.name} is set up`,
        notes,
        checks: result.checks,
        tenant: { id: tenant.id, name: tenant.name },
        token,
        expiresAt: expiresAt.toISOString(),
      });
    } catch (error) {
      const code = isAppError(error) ? error.code : 'internal';
      if (code.startsWith('upstream_')) ipOutcome = 'fail';
      ctx.logger.warn('setup test failed', { reason: code, ...fields });
      throw error;
    } finally {
      await attempt.end(({ kind, key }) =>
        kind === 'ip' ? ipOutcome : outcomeOf(key === pax8Key ? pax8.verdict : verdict),
      );
    }
  }

  const app = new Hono<ApiEnv>();
  app.post('/test', (c) => run(c, false));
  app.post('/', (c) => run(c, true));
  app.get('/', requireSession(ctx.sessions), async (c) => {
    const tenant = await repos.tenants.get(c.var.session.tenantId);
    if (!tenant) throw new AppError('not_found', 'This tenant no longer exists');
    return c.json(publicView(tenant));
  });
  app.route('/settings', settingsRoutes(ctx));
  app.post('/register', requireSession(ctx.sessions), async (c) => {
    const { tenantId, memberId } = c.var.session;
    const tenant = await repos.tenants.get(tenantId);
    const secrets = await repos.tenants.secrets(tenantId);
    if (!tenant || !secrets) throw new AppError('not_found', 'This tenant no longer exists');
    const query = queryOf(c, RegisterQuerySchema);
    // The request's origin comes from its Host header, which a caller can set: outside the sandbox, only
    // PUBLIC_URL may say where ConnectWise loads the pod from (the CLI has the same rule).
    if (!ctx.publicUrl && ctx.sandbox !== true) {
      throw new AppError(
        'not_configured',
        'PUBLIC_URL is not set: set it to the https:// origin of this server',
      );
    }
    const publicUrl = publicUrlFor(tenant, ctx.publicUrl) ?? new URL(c.req.url).origin;
    const { cw } = clientsFor(tenant, secrets, ctx.fetch);
    const report = await register({
      cw: registrationClient(cw),
      manifest: manifestFor(tenant.tenantKey),
      publicUrl,
      dryRun: query.dryRun === 'true',
      remove: query.remove === 'true',
    });
    await repos.audit.append(tenantId, {
      actor: memberId,
      action: report.remove ? 'registration.removed' : 'registration.applied',
      target: `tenant:${tenantId}`,
      after: report.counts,
    });
    return c.json(report);
  });
  return app;
}
