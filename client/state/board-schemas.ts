// The board's answers as the app reads them (valibot at the edge: a wrong shape is a clear error, not a blank).
import * as v from 'valibot';
import { reasonLabels } from './app-schemas.ts';

const cents = v.number();
const MonthSchema = v.object({
  month: v.string(),
  will: cents,
  should: cents,
  costCents: cents,
  costSource: v.string(),
  leakSeats: v.number(),
  leakCents: cents,
});

export const BoardRowSchema = v.object({
  subscriptionId: v.string(),
  pax8CompanyId: v.string(),
  companyName: v.string(),
  cwCompanyId: v.number(),
  agreementId: v.nullable(v.number()),
  productId: v.string(),
  productName: v.string(),
  billingTerm: v.string(),
  /** What the row's money is: per month, per billing period paid up front, or once; and in words. */
  charge: v.picklist(['month', 'period', 'once']),
  chargeWords: v.string(),
  quantity: v.number(),
  status: v.string(),
  ignored: v.boolean(),
  month: v.nullable(v.string()),
  months: v.array(MonthSchema),
  willCents: cents,
  shouldCents: cents,
  differenceCents: cents,
  costCents: cents,
  costSource: v.string(),
  marginCents: cents,
  marginAfterSyncCents: cents,
  marginPercent: v.nullable(v.number()),
  belowMarginFloor: v.boolean(),
  leakSeats: v.nullable(v.number()),
  leakCents: v.nullable(cents),
  message: v.string(),
});
export type BoardRow = v.InferOutput<typeof BoardRowSchema>;

/** A group of rows' money: per month in the totals, and again for the charges up front or once. */
const moneyEntries = {
  rows: v.number(),
  notBilledCents: cents,
  billedTwiceCents: cents,
  overBilledCents: cents,
  costCents: cents,
  willCents: cents,
  marginCents: cents,
};

const TotalsSchema = v.object({
  ...moneyEntries,
  outOfStep: v.number(),
  leakSeats: v.number(),
  leakCents: cents,
  /** The charges up front or once, apart from the money a month above. */
  upFront: v.object(moneyEntries),
  belowMarginFloor: v.number(),
  statement: v.string(),
});
export type BoardTotals = v.InferOutput<typeof TotalsSchema>;

export const BoardAnswerSchema = v.object({
  computedAt: v.nullable(v.string()),
  refreshedAt: v.nullable(v.string()),
  recomputing: v.boolean(),
  refreshing: v.number(),
  lastError: v.nullable(v.string()),
  marginFloorPercent: v.nullable(v.number()),
  checked: v.object({
    subscriptions: v.number(),
    companies: v.number(),
    onBoard: v.number(),
    statement: v.string(),
  }),
  months: v.array(v.string()),
  rows: v.array(BoardRowSchema),
  totals: TotalsSchema,
  filteredTotals: TotalsSchema,
  page: v.object({ offset: v.number(), limit: v.number(), returned: v.number(), matched: v.number() }),
});
export type BoardAnswer = v.InferOutput<typeof BoardAnswerSchema>;

export const BoardSelectionSchema = v.object({
  items: v.array(
    v.object({
      subscriptionId: v.string(),
      agreementId: v.nullable(v.number()),
      companyId: v.number(),
      belowMarginFloor: v.boolean(),
    }),
  ),
  /** Rows out of step the bulk review cannot sync (their product or company is not bound), left out. */
  leftOut: v.optional(v.object({ product_not_bound: v.number(), company_not_bound: v.number() }), {
    product_not_bound: 0,
    company_not_bound: 0,
  }),
});

/** What each status reads as on the board: the audit's words (one list for both), and the board's own. */
export const boardStatusLabels: Record<string, string> = { synced: 'Synced', ...reasonLabels };
