// PATCH /api/setup/settings: the tenant's billing defaults (the plan's threshold, change-day and update/create
// defaults) and its sanity limits. A session only ever changes its own tenant: the tenant id comes from the session.
import { Hono } from 'hono';
import * as v from 'valibot';
import { toCents } from '../billing/money.ts';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/validate.ts';
import { isTimeZone } from '../schedule/due.ts';
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

/** The scheduled sync (issue 11 item 3), given whole: its time, zone and the auto-apply rules. */
const ScheduleSchema = v.strictObject({
  enabled: v.boolean('must be true or false'),
  timeOfDay: v.pipe(
    v.string('must be a time of day, HH:MM'),
    v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day, HH:MM (00:00 to 23:59)'),
  ),
  timeZone: v.pipe(
    v.string('must be a time zone'),
    v.maxLength(64, 'must be a time zone'),
    v.check(isTimeZone, "must be a time zone like 'UTC' or 'America/New_York'"),
  ),
  recurringSeatsBelow: v.nullable(
    v.pipe(
      v.number('must be a whole number of seats from 1 to 10000, or null'),
      v.integer('must be a whole number of seats'),
      v.minValue(1, 'must be at least 1 seat'),
      v.maxValue(10_000, 'must be at most 10000 seats'),
    ),
  ),
  proratesUnder: v.nullable(
    v.pipe(
      v.string('must be an amount like "25.00", or null'),
      v.regex(/^\d{1,7}(\.\d{1,2})?$/, 'must be an amount like "25.00" (at most 9999999.99)'),
    ),
  ),
});

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
    schedule: v.optional(ScheduleSchema),
    defaultBillCustomer: v.optional(
      v.picklist(['Billable', 'DoNotBill', 'NoCharge'], "must be 'Billable', 'DoNotBill' or 'NoCharge'"),
    ),
    defaultTaxable: v.optional(v.picklist(['catalog', 'yes', 'no'], "must be 'catalog', 'yes' or 'no'")),
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
  if (patch.defaultBillCustomer !== undefined) out.defaultBillCustomer = patch.defaultBillCustomer;
  if (patch.defaultTaxable !== undefined) out.defaultTaxable = patch.defaultTaxable;
  return out;
}

/** The schedule as stored: the amount in cents, and when it was saved (a time already past today waits). */
function scheduleOf(patch: SettingsPatch, now: Date): TenantSettings['schedule'] {
  const s = patch.schedule;
  if (s === undefined) return undefined;
  return {
    enabled: s.enabled,
    timeOfDay: s.timeOfDay,
    timeZone: s.timeZone,
    recurringSeatsBelow: s.recurringSeatsBelow,
    proratesUnderCents: s.proratesUnder === null ? null : toCents(s.proratesUnder, 'proratesUnder'),
    since: now.toISOString(),
  };
}

export function settingsRoutes(ctx: ApiContext): Hono<ApiEnv> {
  const { repos } = ctx;
  return new Hono<ApiEnv>().patch('/', requireSession(ctx.sessions), async (c) => {
    const { tenantId, memberId } = c.var.session;
    const patch = await jsonBody(c, SettingsPatchSchema);
    const tenant = await repos.tenants.get(tenantId);
    if (!tenant) throw new AppError('not_found', 'This tenant no longer exists');
    const before = tenant.settings;
    const changes = changesOf(patch);
    const schedule = scheduleOf(patch, ctx.now());
    if (schedule) changes.schedule = schedule;
    const saved = await repos.tenants.updateSettings(tenant.id, changes);
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
