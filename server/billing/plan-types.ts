// The shapes planAdditions takes and returns: plain data in, a reviewable list of writes out.
import type { IsoDate, IsoMonth } from './dates.ts';
import type { LineMoney, MoneyInput } from './money.ts';

export type BillCustomer = 'Billable' | 'DoNotBill' | 'NoCharge';
export type AgreementStatus = 'Active' | 'Cancelled' | 'Expired' | 'Inactive';

export type SubscriptionSnapshot = {
  id: string;
  productId: string;
  productName: string;
  /** Pax8's term name: 'Monthly', 'Annual', '2-Year', '3-Year', 'Trial', usage terms… */
  billingTerm: string;
  quantity: number;
  price: MoneyInput;
  partnerCost: MoneyInput;
  startDate: IsoDate;
  endDate?: IsoDate | undefined;
  status: string;
  /** When a trial became a paid subscription: billing starts there, as for a new subscription (spec §5). */
  convertedDate?: IsoDate | undefined;
  /** Pax8's commitment (`commitmentTerm`, or `commitment` on the wire): its term and the current term's last day. */
  commitment?: { term: string; endDate?: IsoDate | null | undefined } | null | undefined;
  /** When the order was placed (ISO), when known: the decrease window runs 168 h from then. */
  createdDate?: string | null | undefined;
  /** Oldest first; the first entry is the initial order. */
  history: Array<{ date: IsoDate; quantity: number }>;
};

export type AgreementSnapshot = {
  id: string | number;
  name: string;
  status: AgreementStatus;
  nextInvoiceDate?: IsoDate | undefined;
  billingCycle?: string | undefined;
};

export type CatalogProduct = {
  catalogId: string | number;
  identifier: string;
  description: string;
  taxable: boolean;
  /** The binding's default bill option, else the tenant's (Settings); absent: Billable (spec §1). */
  billCustomer?: BillCustomer | undefined;
  price?: MoneyInput | undefined;
  cost?: MoneyInput | undefined;
};

export type ExistingAddition = {
  id: string | number;
  catalogId: string | number;
  quantity: number;
  unitPrice: MoneyInput;
  unitCost: MoneyInput;
  effectiveDate: IsoDate;
  cancelledDate: IsoDate | null;
  invoiceDescription: string;
  billCustomer: BillCustomer;
  taxable: boolean;
  /** The product's marker in the addition's internal description (spec §8), or null/absent. */
  marker?: AdditionMarkerInfo | null | undefined;
  /** For a one-time line: the service months it bills, when known (journal), else read from its text. */
  period?: { start: IsoDate; end: IsoDate } | undefined;
};

export type AdditionMarkerInfo = { subscriptionId: string; kind: string; write: string };

/** A quantity this product set on a recurring addition (from the journal), and when (the write's date). */
export type RecurringLogEntry = {
  additionId: string | number;
  date: IsoDate;
  /** The quantity before the write (null for a create). */
  before: number | null;
  after: number;
};

export type BillingSnapshot = {
  today: IsoDate;
  subscription: SubscriptionSnapshot;
  agreement: AgreementSnapshot;
  product: CatalogProduct;
  additions: ExistingAddition[];
  /** Change keys of prorates already written (from the additions' markers and the journal). */
  syncedChangeKeys: string[];
  /** Change keys whose prorate the member waived when making the change from the pod: never proposed. */
  waivedChangeKeys?: readonly string[] | undefined;
  /** Addition id → the subscription the journal says it bills: another subscription's claim without a marker. */
  claims?: Record<string, string> | undefined;
  /** What this product set on recurring additions, oldest first: the quantity each past invoice billed. */
  recurringLog?: RecurringLogEntry[] | undefined;
  /** Present for a usage product (billed in arrears, spec §5): its months as Pax8 reports them. */
  usage?: UsageSnapshot | undefined;
};

/** A usage month's totals as Pax8 gives them: partner total (our cost) and the customer-facing charge. */
export type UsageMonth = { month: IsoMonth; partnerTotal: MoneyInput; currentCharges: MoneyInput };

export type UsageSnapshot = {
  /** Months Pax8 has invoiced (closed), from its invoice items. */
  closed: UsageMonth[];
  /** The month still running, if Pax8 reports usage for it: never billed, shown as not closed yet. */
  open?: UsageMonth | undefined;
  /** Months already billed on ConnectWise (markers and journal). */
  billed: IsoMonth[];
  /** The binding's markup over the partner total (percent text); null: Pax8's customer charge. */
  markupPercent?: string | null | undefined;
};

export type ProrateEdit = {
  effectiveDate?: IsoDate;
  quantity?: number;
  unitPrice?: MoneyInput;
  unitCost?: MoneyInput;
  description?: string;
  /** Per line (guide: each prorate's own Bill Options and Taxable); default the recurring line's. */
  billCustomer?: BillCustomer;
  taxable?: boolean;
};

export type ExtraMonthsOptions = {
  effectiveDate: IsoDate;
  quantity: number;
  startMonth: IsoMonth;
  months: number;
  unitPrice?: MoneyInput;
  unitCost?: MoneyInput;
  billCustomer?: BillCustomer;
  taxable?: boolean;
};

/**
 * short: the first 50 characters of "Pax8 - <product>"; long: all of it; microsoft: the guide's third option,
 * "Pax8 - " + the product's own (Microsoft) name without Pax8's " - Includes …" suffix, which also names the
 * prorate and extra-month lines; existing: the addition's text; custom: typed.
 */
export type DescriptionChoice =
  | { kind: 'short' | 'long' | 'microsoft' | 'existing' }
  | { kind: 'custom'; text: string };

export type PlanOptions = {
  effectiveDate?: IsoDate;
  mode?: 'update' | 'create';
  description?: DescriptionChoice;
  quantity?: number;
  unitPrice?: MoneyInput;
  unitCost?: MoneyInput;
  billCustomer?: BillCustomer;
  taxable?: boolean;
  threshold?: boolean;
  countChangeDay?: boolean;
  prorates?: { exclude?: string[]; edit?: Record<string, ProrateEdit> };
  extraMonths?: ExtraMonthsOptions;
  /** Off: no default back-bill lines (the user writes an extra-months line instead). Default on. */
  backBill?: boolean;
  /** Invoiced months whose shortfall is back-billed by default (spec §7; tenant setting, default 3). */
  lookbackMonths?: number;
};

export type WriteAction = 'create' | 'update' | 'cancel' | 'none';
/** 'period': a term billed up front (one line per billing period), or a one-time term's single line (spec §5); 'usage': one closed usage month billed in arrears. */
export type WriteKind = 'recurring' | 'prorate' | 'extra' | 'period' | 'usage';

export type AdditionWrite = {
  /** Idempotency key: the same inputs always give the same key. */
  key: string;
  action: WriteAction;
  kind: WriteKind;
  additionId?: string | number;
  catalogId: string | number;
  quantity: number;
  unitPrice: string;
  unitCost: string;
  effectiveDate: IsoDate;
  cancelledDate: IsoDate | null;
  invoiceDescription: string;
  billCustomer: BillCustomer;
  taxable: boolean;
  changeKey?: string;
  period?: { start: IsoDate; end: IsoDate };
  /** For update/cancel: the addition as planned against, so apply can spot a hand edit in between. */
  expected?: { quantity: number; unitPrice: string; unitCost: string; cancelledDate: IsoDate | null };
};

/** A row of the wizard's prorate table; synced and excluded rows are shown but never written. */
export type ProrateRow = LineMoney & {
  changeKey: string;
  changeDate: IsoDate;
  quantityIncrease: number;
  quantity: number;
  effectiveDate: IsoDate;
  cancelledDate: IsoDate;
  period: { start: IsoDate; end: IsoDate };
  invoiceDescription: string;
  synced: boolean;
  excluded: boolean;
  /** The line's own bill option and taxable (a per-line edit, else the recurring line's); set by the planner. */
  billCustomer?: BillCustomer;
  taxable?: boolean;
  /** Waived when the seats were changed from the pod ("I want to waive prorate"): shown, never written. */
  waived: boolean;
  edited: boolean;
};

export type SideBySide = { pax8: string; connectWise: string };

export type ReviewRow = {
  key: string;
  kind: WriteKind;
  action: WriteAction;
  title: string;
  productName: SideBySide;
  invoiceDescription: SideBySide;
  term: SideBySide;
  quantity: SideBySide;
  unitCost: SideBySide;
  unitPrice: SideBySide;
  /** 'Recurring' or 'Non-Recurring'. */
  chargeLabel: string;
  cost: SideBySide;
  price: SideBySide;
  effectiveDate: SideBySide;
  endDate: SideBySide;
  proratedPeriod: SideBySide;
  billCustomer: SideBySide;
  taxable: SideBySide;
};

export type WarningCode =
  | 'term_unknown'
  | 'usage_in_arrears'
  | 'usage_recurring_ended'
  | 'trial_term_unknown'
  | 'agreement_not_active'
  | 'price_below_cost'
  | 'billed_in_advance'
  | 'no_existing_addition'
  | 'subscription_not_active'
  | 'unbilled_months'
  | 'create_new_not_possible'
  | 'effective_date_not_used'
  | 'subscription_cancelled'
  | 'trial'
  | 'beyond_lookback'
  | 'matched_by_product'
  | 'billed_after_end'
  | 'pax8_price_changed'
  | 'usage_in_arrears'
  | 'usage_not_closed'
  | 'period_line_invoiced';

export type PlanWarning = {
  code: WarningCode;
  message: string;
  proposal?: ExtraMonthsOptions;
  /** The money the warning is about (e.g. a shortfall beyond the look-back), decimal dollars. */
  amount?: string;
};

export type AdditionPlan = {
  term: string;
  /** The term as people read it: "Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00". */
  termLabel: string;
  /** The first un-invoiced month's first day: the default effective date. */
  defaultEffectiveDate: IsoDate;
  mode: 'update' | 'create';
  writes: AdditionWrite[];
  prorates: ProrateRow[];
  review: ReviewRow[];
  warnings: PlanWarning[];
  /** The recurring addition was found by catalog product, not by this subscription's marker. */
  matchedByProduct: boolean;
};
