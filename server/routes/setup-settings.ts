// PATCH /api/setup/settings: the tenant's billing defaults (the plan's threshold, change-day and update/create
// defaults) and its sanity limits. A session only ever changes its own tenant: the tenant id comes from the session.
import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/validate.ts';
import type { TenantSettings } from '../store/index.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';

/** A sanity limit (spec §9): a whole number from 1 to `most` (a limit beyond that is no limit). */
const limitSchema = (most: number) =>
  v.pipe(
    v.number('must be a whole number'),
    v.integer('must be a whole number'),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(most, `must be at most ${most}`),
  );

/**
 * Strict: an unknown key (a typo like `treshold`) is a 400 naming it, not a silent no-op. valibot's object
 * schemas take an array as an object with no keys, so `[]` would be a 200 that changed nothing: refused first.
 */
export const SettingsPatchSchema = v.pipe(
  v.custom<object>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be a JSON object'),
  v.strictObject({
    threshold: v.optional(v.boolean('must be true or false')),
    countChangeDay: v.optional(v.boolean('must be true or false')),
    updateOrCreate: v.optional(v.picklist(['update', 'create'], "must be 'update' or 'create'")),
    maxQuantity: v.optional(limitSchema(10_000_000)),
    maxQuantityMultiple: v.optional(limitSchema(1_000)),
    maxUnitPrice: v.optional(limitSchema(1_000_000_000)),
    lookbackMonths: v.optional(
      v.pipe(
        v.number('must be a whole number from 0 to 24'),
        v.integer('must be a whole number from 0 to 24'),
        v.minValue(0, 'must be a whole number from 0 to 24'),
        v.maxValue(24, 'must be a whole number from 0 to 24'),
      ),
    ),
    // The margin floor (issue 11): a percentage of what a line bills, 0–100 with at most two decimals; null: off.
    marginFloorPercent: v.optional(
      v.nullable(
        v.pipe(
          v.number('must be a percentage from 0 to 100, or null for no floor'),
          v.minValue(0, 'must be a percentage from 0 to 100'),
          v.maxValue(100, 'must be a percentage from 0 to 100'),
          v.check((n) => Math.round(n * 100) === n * 100, 'must have at most two decimals'),
        ),
      ),
    ),
  }),
);
export type SettingsPatch = v.InferOutput<typeof SettingsPatchSchema>;

/** Only the keys present in the body; valibot's optional output may carry `undefined`. */
function changesOf(patch: SettingsPatch): Partial<TenantSettings> {
  const out: Partial<TenantSettings> = {};
  if (patch.threshold !== undefined) out.threshold = patch.threshold;
  if (patch.countChangeDay !== undefined) out.countChangeDay = patch.countChangeDay;
  if (patch.updateOrCreate !== undefined) out.updateOrCreate = patch.updateOrCreate;
  if (patch.maxQuantity !== undefined) out.maxQuantity = patch.maxQuantity;
  if (patch.maxQuantityMultiple !== undefined) out.maxQuantityMultiple = patch.maxQuantityMultiple;
  if (patch.maxUnitPrice !== undefined) out.maxUnitPrice = patch.maxUnitPrice;
  if (patch.lookbackMonths !== undefined) out.lookbackMonths = patch.lookbackMonths;
  if (patch.marginFloorPercent !== undefined) out.marginFloorPercent = patch.marginFloorPercent;
  return out;
}

export function settingsRoutes(ctx: ApiContext): Hono<ApiEnv> {
  const { repos } = ctx;
  return new Hono<ApiEnv>().patch('/', requireSession(ctx.sessions), async (c) => {
    const { tenantId, memberId } = c.var.session;
    const patch = await jsonBody(c, SettingsPatchSchema);
    const tenant = await repos.tenants.get(tenantId);
    if (!tenant) throw new AppError('not_found', 'This tenant no longer exists');
    const before = tenant.settings;
    const saved = await repos.tenants.updateSettings(tenant.id, changesOf(patch));
    if (!saved) throw new AppError('not_found', 'This tenant no longer exists');
    await repos.audit.append(tenant.id, {
      actor: memberId,
      action: 'tenant.settings.updated',
      target: `tenant:${tenant.id}`,
      before,
      after: saved.settings,
    });
    return c.json(saved.settings);
  });
}
