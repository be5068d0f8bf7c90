// The reconciliation board's plain data (issue 11 items 1 and 5): one row per bound company × subscription ×
// agreement with what ConnectWise will bill against what it should per month, Pax8's cost, margin and leakage.
import type { Cents } from '../billing/money.ts';
import type { UnsyncedReason } from '../sync/unsynced.ts';

export type BoardStatus = UnsyncedReason | 'synced';

/**
 * What a row's money is: per month, or a charge ConnectWise bills once per billing period paid up front (Annual,
 * 2-Year, 3-Year: 'period') or once (One-Time, Activation: 'once'), whole, in the month it is due.
 */
export type BoardCharge = 'month' | 'period' | 'once';

/** Where a row's Pax8 cost came from: an invoice's items, the draft items of a month not invoiced yet, or
 * (neither lists the subscription) its partner cost × seats. */
export type CostSource = 'invoice' | 'draft' | 'subscription';

/** One judged month of a row: ConnectWise will / should bill, Pax8's cost, and the seats nobody bills. */
export type BoardMonth = {
  month: string;
  will: Cents;
  should: Cents;
  costCents: Cents;
  costSource: CostSource;
  leakSeats: number;
  leakCents: Cents;
};

export type BoardRow = {
  subscriptionId: string;
  pax8CompanyId: string;
  companyName: string;
  cwCompanyId: number;
  /** The agreement it bills on (or should); null when ConnectWise has no agreement for it. */
  agreementId: number | null;
  productId: string;
  productName: string;
  billingTerm: string;
  /** What its will / should / difference / cost figures are (see BoardCharge), and in words for the reader:
   * 'a month', 'per year, up front', 'per 3 years, up front', 'once'. */
  charge: BoardCharge;
  chargeWords: string;
  quantity: number;
  status: BoardStatus;
  /** On the tenant's ignore list: shown, never counted in the totals or selected as out of step. */
  ignored: boolean;
  /** The first un-invoiced month (the row's headline month), null when not judged per month. */
  month: string | null;
  /** Each judged month from the first un-invoiced one (empty when not judged per month). */
  months: BoardMonth[];
  /** The headline month's figures: will, should, and should − will (positive: not billed). */
  willCents: Cents;
  shouldCents: Cents;
  differenceCents: Cents;
  /** Pax8's cost of the headline month. */
  costCents: Cents;
  costSource: CostSource;
  /** What ConnectWise will bill − Pax8's cost; after the sync: what it should bill − cost. */
  marginCents: Cents;
  marginAfterSyncCents: Cents;
  /** The margin after the sync as a percentage of what it bills (null when it bills nothing). */
  marginPercent: number | null;
  /** The line a sync would write earns less than the tenant's margin floor: apply asks to confirm it. */
  belowMarginFloor: boolean;
  /** Seats Pax8 charges for the headline month that ConnectWise bills nobody for (null: not judged per month,
   * as for a charge up front or once). */
  leakSeats: number | null;
  leakCents: Cents | null;
  message: string;
};

/** The headline month's charges up front or once (rows whose charge is 'period' or 'once'), kept apart from the
 * money per month: an annual or 3-year charge is not money a month. */
export type UpFrontTotals = {
  rows: number;
  notBilledCents: Cents;
  billedTwiceCents: Cents;
  overBilledCents: Cents;
  costCents: Cents;
  willCents: Cents;
  marginCents: Cents;
};

export type BoardTotals = {
  rows: number;
  outOfStep: number;
  /** Per month (the headline month of the rows billed per month): money ConnectWise should bill and will not. */
  notBilledCents: Cents;
  /** Per month: money a duplicate or a second agreement bills again. */
  billedTwiceCents: Cents;
  /** Per month: billed above what it should for any other reason. */
  overBilledCents: Cents;
  /** Per month too: the rows billed per month only. */
  costCents: Cents;
  willCents: Cents;
  marginCents: Cents;
  leakSeats: number;
  leakCents: Cents;
  upFront: UpFrontTotals;
  belowMarginFloor: number;
  /** In words: "$1,284.50 a month not billed, $310.00 billed twice; $3,384.78 of up-front charges not billed". */
  statement: string;
};

export type Board = {
  tenantId: string;
  computedAt: string;
  /** Subscriptions read from Pax8 (all, bound or not) and how many of them are on the board. */
  checked: { subscriptions: number; companies: number; onBoard: number; statement: string };
  marginFloorPercent: number | null;
  rows: BoardRow[];
};
