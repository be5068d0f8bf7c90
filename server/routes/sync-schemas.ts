// Valibot schemas of the sync routes' bodies: the plan request (with billing's wizard options) and apply.
import * as v from 'valibot';

/** ConnectWise ids are 32-bit: anything larger (or 1e300) is refused here, before any upstream call. */
const maxCwId = 2_147_483_647;
/** A ConnectWise id in a JSON body. */
export const CwIdNumberSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(maxCwId, 'must be a ConnectWise id'),
);

const IsoDateSchema = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));
const IsoMonthSchema = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}$/, 'must be a month YYYY-MM'));
const MoneySchema = v.union([
  v.pipe(v.number(), v.finite()),
  v.pipe(v.string(), v.regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'must be an amount like "12.50"')),
]);
const QuantitySchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const BillCustomerSchema = v.picklist(['Billable', 'DoNotBill', 'NoCharge']);

const ProrateEditSchema = v.strictObject({
  effectiveDate: v.optional(IsoDateSchema),
  quantity: v.optional(QuantitySchema),
  unitPrice: v.optional(MoneySchema),
  unitCost: v.optional(MoneySchema),
  description: v.optional(v.pipe(v.string(), v.maxLength(6000))),
  billCustomer: v.optional(BillCustomerSchema),
  taxable: v.optional(v.boolean()),
});

export const PlanOptionsSchema = v.strictObject({
  effectiveDate: v.optional(IsoDateSchema),
  mode: v.optional(v.picklist(['update', 'create'])),
  description: v.optional(
    v.variant('kind', [
      v.strictObject({ kind: v.picklist(['short', 'long', 'microsoft', 'existing']) }),
      v.strictObject({
        kind: v.literal('custom'),
        text: v.pipe(v.string(), v.minLength(1), v.maxLength(6000)),
      }),
    ]),
  ),
  quantity: v.optional(QuantitySchema),
  unitPrice: v.optional(MoneySchema),
  unitCost: v.optional(MoneySchema),
  billCustomer: v.optional(BillCustomerSchema),
  taxable: v.optional(v.boolean()),
  threshold: v.optional(v.boolean()),
  countChangeDay: v.optional(v.boolean()),
  prorates: v.optional(
    v.strictObject({
      exclude: v.optional(v.array(v.string())),
      edit: v.optional(v.record(v.string(), ProrateEditSchema)),
    }),
  ),
  extraMonths: v.optional(
    v.strictObject({
      effectiveDate: IsoDateSchema,
      quantity: QuantitySchema,
      startMonth: IsoMonthSchema,
      months: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(36)),
      unitPrice: v.optional(MoneySchema),
      unitCost: v.optional(MoneySchema),
      billCustomer: v.optional(BillCustomerSchema),
      taxable: v.optional(v.boolean()),
    }),
  ),
});

export const PlanRequestSchema = v.object({
  subscriptionId: v.pipe(v.string(), v.uuid('subscriptionId must be a Pax8 subscription id (uuid)')),
  agreementId: CwIdNumberSchema,
  options: v.optional(PlanOptionsSchema),
});
export type PlanRequest = v.InferOutput<typeof PlanRequestSchema>;

export const ApplyRequestSchema = v.object({
  planId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  ignore: v.optional(v.array(v.string())),
});
export type ApplyRequest = v.InferOutput<typeof ApplyRequestSchema>;

/** A positive integer path parameter (ConnectWise ids). */
export const CwIdSchema = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,9}$/, 'must be a ConnectWise id'),
  v.transform(Number),
  v.maxValue(maxCwId, 'must be a ConnectWise id'),
);
export const UuidSchema = v.pipe(v.string(), v.uuid('must be a Pax8 id (uuid)'));
/** Pax8's billing terms, as product bindings and exports name them. */
export const BillingTermSchema = v.picklist([
  'Monthly',
  'Annual',
  '2-Year',
  '3-Year',
  'One-Time',
  'Trial',
  'Activation',
]);
