// The judgement's plain-data inputs and answers (spec §8): snapshots of Pax8 and ConnectWise in, a verdict
// per subscription with what ConnectWise will bill against what it should, per service month, out.
import type { IsoDate, IsoMonth } from '../billing/dates.ts';
import type { Cents, MoneyInput } from '../billing/money.ts';
import type { QuantityChange } from '../billing/prorate.ts';

export type JudgeSubscription = {
  id: string;
  productId: string;
  productName: string;
  billingTerm: string;
  status: string;
  quantity: number;
  price: MoneyInput;
  partnerCost: MoneyInput;
  startDate: IsoDate;
  endDate: IsoDate | null;
  /** When Pax8 last changed it (ISO), when known. */
  updatedDate: string | null;
  /**
   * Quantity changes, oldest first (the first is the initial order). Omitted when not read (the views and the
   * audit read no history, to stay at a constant number of upstream calls): prorates and back-bills are then
   * not judged, and a Pax8 change newer than the last write shows as `change_not_synced`.
   */
  history?: readonly QuantityChange[] | undefined;
  /** Pax8's commitment (NCE): its term and the current term's last day; absent or null without one. */
  commitment?: { term: string; endDate?: IsoDate | null | undefined } | null | undefined;
  /** When the order was placed (ISO): the decrease window runs 168 h from then. */
  createdDate?: string | null | undefined;
  /** A trial converted on this day: billed from here as a new subscription (spec §5). */
  convertedDate?: IsoDate | null | undefined;
  /** Change keys ('2026-11-20#1') whose prorate the member waived at a seat change from the pod: not owed. */
  waivedChangeKeys?: readonly string[] | undefined;
  /** The price remembered from the wizard for this subscription: it wins over the binding and Pax8. */
  priceOverride?: MoneyInput | null | undefined;
};

export type JudgeAgreement = {
  id: number;
  status: string;
  nextInvoiceDate: IsoDate | null;
  billingCycle?: string | null | undefined;
};

export type JudgeMarker = { subscriptionId: string; kind: string };

/** A ConnectWise addition as the judgement reads it: money as CW gives it (a number), dates as days. */
export type JudgeAddition = {
  id: number;
  agreementId: number;
  catalogId: number;
  quantity: number;
  unitPrice: number;
  unitCost: number;
  effectiveDate: IsoDate | null;
  cancelledDate: IsoDate | null;
  updatedAt?: string | null | undefined;
  /** Only 'Billable' lines bill money (DoNotBill and NoCharge print 0.00); absent means Billable. */
  billCustomer?: string | undefined;
  /** Our marker in the addition's internal description, or null (written by hand, or before markers). */
  marker: JudgeMarker | null;
  /** The invoice text, when read: a term line names its period in it (`… - Annual term 03/14/2026-03/13/2027`). */
  invoiceDescription?: string | undefined;
};

export type JudgeBinding = {
  pax8ProductId: string;
  billingTerm: string;
  cwCatalogId: number;
  /** The binding's price (decimal text), or null: then Pax8's price. */
  price: string | null;
};

export type JudgeOptions = {
  /** Service months judged from the first un-invoiced month on (default 3). */
  horizonMonths?: number;
  /** Invoiced months whose shortfall is owed as back-bill lines (default 3, a tenant setting in §7). */
  lookBackMonths?: number;
  /** Threshold prorate (default on, spec §3). */
  threshold?: boolean;
  /** Count the change day: (D − d + 1)/D (default off). */
  countChangeDay?: boolean;
};

export type JudgeInput = {
  today: IsoDate;
  subscriptions: readonly JudgeSubscription[];
  /** The agreements whose additions are given; the first is the one in context (where a missing line goes). */
  agreements: readonly JudgeAgreement[];
  /** Every addition of those agreements, with markers. */
  additions: readonly JudgeAddition[];
  productBindings: readonly JudgeBinding[];
  /** When each subscription was last written through the journal (ISO): read only when history is absent. */
  lastSyncedAt?: ReadonlyMap<string, string> | undefined;
  options?: JudgeOptions | undefined;
};

export type JudgementStatus =
  | 'synced'
  | 'quantity_differs'
  | 'price_differs'
  | 'not_on_agreement'
  | 'product_not_bound'
  | 'change_not_synced'
  | 'prorate_pending'
  | 'duplicate'
  | 'double_billed'
  | 'written_by_hand'
  | 'cancelled_billing'
  | 'trial_billing';

/** The action that fixes a status: sync (plan and apply), adopt a hand-written line, or cancel an addition. */
export type JudgementFix = 'none' | 'sync' | 'bind_product' | 'adopt' | 'cancel_addition';

export type MonthFigures = {
  month: IsoMonth;
  /** What ConnectWise will invoice for this subscription for that month, from its additions. */
  will: Cents;
  /** What the spec says it should (the first month carries any back-bill owed). */
  should: Cents;
};

export type Verdict = {
  subscriptionId: string;
  /** The agreement the subscription is billed on (its recurring line's), else the one in context. */
  agreementId: number | null;
  status: JudgementStatus;
  fix: JudgementFix;
  /** The recurring addition that bills it (the one sync updates), if any. */
  additionId: number | null;
  /** The additions the fix is about (the duplicate, the other agreement's line, the line to adopt). */
  fixAdditionIds: number[];
  /** How its recurring line was found: by our marker, by catalog product (written by hand), or none. */
  matchedBy: 'marker' | 'product' | null;
  firstUninvoicedMonth: IsoMonth;
  months: MonthFigures[];
  /** Owed for invoiced months within the look-back (included in the first month's `should`). */
  backBill: Cents;
  /** Not billed in invoiced months older than the look-back: shown as a warning, never proposed. */
  olderShortfall: Cents;
  /** False when no history was given: prorates and back-bills were not judged. */
  historyJudged: boolean;
  /** The term as people read it: "Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00". */
  term: string;
  /** The money in words: "ConnectWise will bill $50.00/mo, should bill $75.00/mo: $25.00/mo not billed". */
  message: string;
};

export type GhostReason = 'subscription_cancelled' | 'no_subscription';

export type JudgedGhost = {
  additionId: number;
  agreementId: number;
  reason: GhostReason;
  /** The subscription its marker names, if any. */
  subscriptionId: string | null;
  productName: string | null;
};

export type Judgement = { verdicts: Verdict[]; ghosts: JudgedGhost[] };
