// The sync plan and apply answers (POST /api/sync/plan, /api/sync/apply), and the options the wizard sends.
import * as v from 'valibot';

const Money = v.union([v.number(), v.string()]);
const Side = v.object({ pax8: v.string(), connectWise: v.string() });
const Kind = v.picklist(['recurring', 'prorate', 'extra', 'period', 'usage']);

/** A line's kind in the words the review's titles use ("prorated addition", "extra months addition"). */
const kindWords: Record<string, string> = {
  recurring: 'recurring',
  prorate: 'prorated',
  extra: 'extra months',
  period: 'period',
  usage: 'usage',
};
export const additionKindWords = (kind: string): string => kindWords[kind] ?? kind;
const Action = v.picklist(['create', 'update', 'cancel', 'none']);
const BillCustomer = v.picklist(['Billable', 'DoNotBill', 'NoCharge']);
export type BillCustomer = v.InferOutput<typeof BillCustomer>;

const ExtraMonthsSchema = v.object({
  effectiveDate: v.string(),
  quantity: v.number(),
  startMonth: v.string(),
  months: v.number(),
  unitPrice: v.optional(Money),
  unitCost: v.optional(Money),
  billCustomer: v.optional(BillCustomer),
  taxable: v.optional(v.boolean()),
});

export const WriteSchema = v.object({
  key: v.string(),
  action: Action,
  kind: Kind,
  additionId: v.optional(v.union([v.string(), v.number()])),
  catalogId: v.union([v.string(), v.number()]),
  quantity: v.number(),
  unitPrice: v.string(),
  unitCost: v.string(),
  effectiveDate: v.string(),
  cancelledDate: v.nullable(v.string()),
  invoiceDescription: v.string(),
  billCustomer: BillCustomer,
  taxable: v.boolean(),
  changeKey: v.optional(v.string()),
});
export type PlannedWrite = v.InferOutput<typeof WriteSchema>;

export const ProrateRowSchema = v.object({
  changeKey: v.string(),
  changeDate: v.string(),
  quantityIncrease: v.number(),
  quantity: v.number(),
  unitCost: v.string(),
  unitPrice: v.string(),
  totalCost: v.string(),
  totalPrice: v.string(),
  effectiveDate: v.string(),
  cancelledDate: v.string(),
  period: v.object({ start: v.string(), end: v.string() }),
  invoiceDescription: v.string(),
  synced: v.boolean(),
  excluded: v.boolean(),
  /** Waived at the seat change from the pod: shown, never written (older servers: absent). */
  waived: v.optional(v.boolean(), false),
  edited: v.boolean(),
  /** The line's own bill option and taxable (optional: a server from before them answers without). */
  billCustomer: v.optional(BillCustomer),
  taxable: v.optional(v.boolean()),
});
export type ProrateRow = v.InferOutput<typeof ProrateRowSchema>;

export const ReviewRowSchema = v.object({
  key: v.string(),
  kind: Kind,
  action: Action,
  title: v.string(),
  productName: Side,
  invoiceDescription: Side,
  term: Side,
  quantity: Side,
  unitCost: Side,
  unitPrice: Side,
  chargeLabel: v.string(),
  cost: Side,
  price: Side,
  effectiveDate: Side,
  endDate: Side,
  proratedPeriod: Side,
  billCustomer: Side,
  taxable: Side,
});
export type ReviewRow = v.InferOutput<typeof ReviewRowSchema>;

export const PlanWarningSchema = v.object({
  code: v.string(),
  message: v.string(),
  proposal: v.optional(ExtraMonthsSchema),
});
export type PlanWarning = v.InferOutput<typeof PlanWarningSchema>;

export const PlanSchema = v.object({
  planId: v.string(),
  expiresAt: v.string(),
  term: v.string(),
  termLabel: v.optional(v.string()),
  mode: v.picklist(['update', 'create']),
  defaultEffectiveDate: v.string(),
  additions: v.array(WriteSchema),
  prorates: v.array(ProrateRowSchema),
  review: v.array(ReviewRowSchema),
  warnings: v.array(PlanWarningSchema),
});
export type Plan = v.InferOutput<typeof PlanSchema>;

export const ApplyResultSchema = v.object({
  planId: v.string(),
  applied: v.array(
    v.object({
      key: v.string(),
      kind: v.string(),
      action: v.string(),
      additionId: v.nullable(v.number()),
    }),
  ),
  skipped: v.optional(v.array(v.object({ key: v.string(), reason: v.string() })), []),
});
export type ApplyResult = v.InferOutput<typeof ApplyResultSchema>;

export type ProrateEdit = {
  effectiveDate?: string;
  quantity?: number;
  unitPrice?: string;
  unitCost?: string;
  description?: string;
  billCustomer?: BillCustomer;
  taxable?: boolean;
};

export type ExtraMonths = v.InferOutput<typeof ExtraMonthsSchema>;

export type DescriptionChoice =
  | { kind: 'short' | 'long' | 'microsoft' | 'existing' }
  | { kind: 'custom'; text: string };

/** What the wizard sends as `options` (server: PlanOptionsSchema). Money as "12.50" strings. */
export type PlanOptions = {
  effectiveDate?: string;
  mode?: 'update' | 'create';
  description?: DescriptionChoice;
  quantity?: number;
  unitPrice?: string;
  unitCost?: string;
  billCustomer?: BillCustomer;
  taxable?: boolean;
  threshold?: boolean;
  countChangeDay?: boolean;
  prorates?: { exclude?: string[]; edit?: Record<string, ProrateEdit> };
  extraMonths?: ExtraMonths;
};

/** GET /api/subscriptions/:id/history: the quantity changes, each with the lines that cover it (journal). */
export const HistorySchema = v.object({
  changes: v.array(
    v.object({
      date: v.string(),
      quantity: v.number(),
      previousQuantity: v.number(),
      synced: v.boolean(),
      /** Issue 9: which line covers the change (absent from an older server: nothing known). */
      changeKey: v.optional(v.string(), ''),
      coveredByRecurring: v.optional(v.boolean(), false),
      recurringAdditionId: v.optional(v.nullable(v.number()), null),
      prorateAdditionId: v.optional(v.nullable(v.number()), null),
    }),
  ),
  /** Issue 10: the guide's Subscription History, one row per change (absent from an older server: derived). */
  events: v.optional(
    v.array(
      v.object({
        date: v.string(),
        action: v.string(),
        fromQuantity: v.number(),
        toQuantity: v.number(),
        orderedBy: v.nullable(v.string()),
        term: v.string(),
        /** How the term is billed: monthly, upfront, one-time, trial, usage, unknown (older server: monthly). */
        billedAs: v.optional(v.string(), 'monthly'),
        renews: v.nullable(v.string()),
        status: v.string(),
        changeKey: v.nullable(v.string()),
        synced: v.boolean(),
        lines: v.array(v.object({ kind: v.string(), additionId: v.number(), agreementId: v.number() })),
      }),
    ),
  ),
  journal: v.optional(
    v.array(
      v.object({
        kind: v.string(),
        state: v.string(),
        agreementId: v.number(),
        additionId: v.nullable(v.number()),
        changeKey: v.nullable(v.string()),
      }),
    ),
    [],
  ),
  /** What the history could not read, in words (pax8_orders_unavailable: no Ordered By); older server: none. */
  warnings: v.optional(v.array(v.object({ code: v.string(), message: v.string() })), []),
});
export type History = v.InferOutput<typeof HistorySchema>;
