// Sanity limits (spec §9): a plan refuses, before anything is written, dates outside 2000–2099, quantities
// above the tenant's maximum (or, when a user typed them, more than N× the Pax8 quantity), unit prices above
// the maximum, and invoice text with control characters. Checked on what the wizard sent and on every planned
// write at plan time, and again on the stored plan at apply (it may predate a lower limit).
import type { PlanOptions } from '../billing/index.ts';
import { AppError } from '../errors.ts';
import type { PlannedWrite } from './plan-types.ts';

/** The thresholds an MSP may need to raise (tenant settings). */
export type Limits = { maxQuantity: number; maxQuantityMultiple: number; maxUnitPrice: number };

export const defaultLimits: Limits = {
  maxQuantity: 100_000,
  maxQuantityMultiple: 10,
  maxUnitPrice: 1_000_000,
};

/** Calendar years a billing date may fall in: anything else is a typo (0001, 20201) or a bug. */
export const yearRange = { first: 2000, last: 2099 } as const;

/** C0 and C1 control characters (tab and newline included): ConnectWise prints invoice text on one line. */
const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);
const hasControlCharacter = (text: string) => [...text].some((ch) => isControl(ch.codePointAt(0) ?? 0));

type Money = number | string | undefined;

function exceeded(field: string, limit: unknown, value: unknown, message: string): AppError {
  return new AppError('limit_exceeded', `${field}: ${message}`, { details: { field, limit, value } });
}

function checkDate(field: string, value: string | null | undefined): void {
  if (!value) return;
  const year = Number(value.slice(0, 4));
  if (year >= yearRange.first && year <= yearRange.last && /^\d{4}-/.test(value)) return;
  throw exceeded(
    field,
    `${yearRange.first}-01-01..${yearRange.last}-12-31`,
    value,
    `${value} is outside the years ${yearRange.first}–${yearRange.last}`,
  );
}

function checkQuantity(field: string, value: number | undefined, limits: Limits): void {
  if (value === undefined || value <= limits.maxQuantity) return;
  throw exceeded(
    field,
    limits.maxQuantity,
    value,
    `${value} is more than ${limits.maxQuantity} seats (a tenant setting)`,
  );
}

/** A typed quantity: also at most maxQuantityMultiple × the Pax8 quantity (× 1 for a subscription at 0). */
function checkTyped(field: string, value: number | undefined, pax8Quantity: number, limits: Limits): void {
  checkQuantity(field, value, limits);
  const limit = limits.maxQuantityMultiple * Math.max(pax8Quantity, 1);
  if (value === undefined || value <= limit) return;
  throw exceeded(
    field,
    limit,
    value,
    `${value} is more than ${limits.maxQuantityMultiple}× the Pax8 quantity (${pax8Quantity})`,
  );
}

/** `months`: an extra-months line's unit price is the monthly price × its months; the limit is per month. */
function checkPrice(field: string, value: Money, limits: Limits, months = 1): void {
  if (value === undefined) return;
  const amount = Number(value) / months;
  if (!Number.isFinite(amount) || Math.abs(amount) <= limits.maxUnitPrice) return;
  const per = months > 1 ? ` per unit and month (${value} for ${months} months)` : ' per unit';
  throw exceeded(field, limits.maxUnitPrice, value, `${value} is more than ${limits.maxUnitPrice}${per}`);
}

/** The calendar months a one-time line bills (1 for a prorate or a line without a period). */
function monthsOf(w: PlannedWrite): number {
  if (w.kind !== 'extra' || !w.period) return 1;
  const [sy, sm] = w.period.start.split('-').map(Number);
  const [ey, em] = w.period.end.split('-').map(Number);
  const months = ((ey ?? 0) - (sy ?? 0)) * 12 + ((em ?? 0) - (sm ?? 0)) + 1;
  return Number.isInteger(months) && months > 1 ? months : 1;
}

function checkText(field: string, value: string | undefined): void {
  if (value === undefined || !hasControlCharacter(value)) return;
  throw exceeded(field, 'no control characters', value, 'contains a control character (e.g. a line break)');
}

/** What the wizard typed: every date, quantity, price and text in the plan options. */
export function checkOptions(options: PlanOptions, pax8Quantity: number, limits: Limits): void {
  const o = 'options';
  checkDate(`${o}.effectiveDate`, options.effectiveDate);
  checkTyped(`${o}.quantity`, options.quantity, pax8Quantity, limits);
  checkPrice(`${o}.unitPrice`, options.unitPrice, limits);
  checkPrice(`${o}.unitCost`, options.unitCost, limits);
  if (options.description?.kind === 'custom') checkText(`${o}.description.text`, options.description.text);
  for (const [key, edit] of Object.entries(options.prorates?.edit ?? {})) {
    const at = `${o}.prorates.edit.${key}`;
    checkDate(`${at}.effectiveDate`, edit.effectiveDate);
    checkTyped(`${at}.quantity`, edit.quantity, pax8Quantity, limits);
    checkPrice(`${at}.unitPrice`, edit.unitPrice, limits);
    checkPrice(`${at}.unitCost`, edit.unitCost, limits);
    checkText(`${at}.description`, edit.description);
  }
  const extra = options.extraMonths;
  if (extra) {
    checkDate(`${o}.extraMonths.effectiveDate`, extra.effectiveDate);
    checkDate(`${o}.extraMonths.startMonth`, `${extra.startMonth}-01`);
    checkTyped(`${o}.extraMonths.quantity`, extra.quantity, pax8Quantity, limits);
    checkPrice(`${o}.extraMonths.unitPrice`, extra.unitPrice, limits);
    checkPrice(`${o}.extraMonths.unitCost`, extra.unitCost, limits);
  }
}

/** Every write that would reach ConnectWise (plan and apply). */
export function checkWrites(writes: readonly PlannedWrite[], limits: Limits): void {
  writes.forEach((w, i) => {
    if (w.action === 'none') return;
    const at = `additions[${i}]`;
    checkDate(`${at}.effectiveDate`, w.effectiveDate);
    checkDate(`${at}.cancelledDate`, w.cancelledDate);
    checkQuantity(`${at}.quantity`, w.quantity, limits);
    checkPrice(`${at}.unitPrice`, w.unitPrice, limits, monthsOf(w));
    checkPrice(`${at}.unitCost`, w.unitCost, limits, monthsOf(w));
    checkText(`${at}.invoiceDescription`, w.invoiceDescription);
  });
}

/** Plan within the limits: the typed options first (before billing sees them), then the planned writes. */
export function planWithinLimits<T extends { writes: PlannedWrite[] }>(
  options: PlanOptions | undefined,
  pax8Quantity: number,
  limits: Limits | undefined,
  plan: () => T,
): T {
  const l = limits ?? defaultLimits;
  checkOptions(options ?? {}, pax8Quantity, l);
  const planned = plan();
  checkWrites(planned.writes, l);
  return planned;
}

/** The three limit settings of a tenant's settings. */
export const limitsOf = (s: Limits): Limits => ({
  maxQuantity: s.maxQuantity,
  maxQuantityMultiple: s.maxQuantityMultiple,
  maxUnitPrice: s.maxUnitPrice,
});
