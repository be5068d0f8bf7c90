/**
 * Billing rules, pure: a subscription's recurring addition is quantity × price from the first un-invoiced month;
 * each increase inside a month gets a one-time prorate of (D − d)/D, rounded half-up to cents per unit.
 */
export {
  addMonths,
  dayBefore,
  daysInMonth,
  endOfMonth,
  firstOfNextMonth,
  type IsoDate,
  type IsoMonth,
  isLeapYear,
  usDate,
} from './dates.ts';
export {
  extraMonthsDescription,
  longDescription,
  MAX_DESCRIPTION,
  microsoftDescription,
  prorateDescription,
  shortDescription,
} from './descriptions.ts';
export { BillingInputError } from './errors.ts';
export { type ExtraMonthsInput, type ExtraMonthsLine, extraMonthsAddition } from './extra-months.ts';
export { formatCents, type MoneyInput, toCents } from './money.ts';
export { findCurrentAddition, firstUninvoicedDate, planAdditions, prorateKey } from './plan.ts';
export { isOneMonthLine, ownAddition, periodOfText } from './plan-ledger.ts';
export { serviceEnd } from './plan-life.ts';
export { DEFAULT_LOOKBACK_MONTHS } from './plan-prorates.ts';
export type * from './plan-types.ts';
export { planUsage, usageDescription, usageKey, usagePrice } from './plan-usage.ts';
export {
  changeKeys,
  type PlannedProrate,
  type PlanProratesInput,
  type ProrateLine,
  type ProrateLineInput,
  planProrates,
  prorateLine,
  type QuantityChange,
} from './prorate.ts';
export { formula } from './review.ts';
