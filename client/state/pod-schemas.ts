// The shapes of the record views, bindings and catalog answers the pod reads, validated at the boundary.
// Loose on purpose where the server may add fields: only what the pod reads is checked.
import * as v from 'valibot';

const Id = v.number();
const Money = v.union([v.number(), v.string()]);
const NullableDate = v.nullish(v.string(), null);

export const AgreementSchema = v.object({
  id: Id,
  name: v.string(),
  status: v.string(),
  company: v.object({ id: Id, name: v.string() }),
  nextInvoiceDate: NullableDate,
  billingCycle: v.nullish(v.string(), null),
});
export type Agreement = v.InferOutput<typeof AgreementSchema>;

export const RowStatusSchema = v.picklist([
  'synced',
  'quantity_differs',
  'price_differs',
  'not_on_agreement',
  'product_not_bound',
  'change_not_synced',
  'prorate_pending',
  'duplicate',
  'double_billed',
  'written_by_hand',
  'cancelled_billing',
  'trial_billing',
  'usage_not_billed',
]);
export type RowStatus = v.InferOutput<typeof RowStatusSchema>;
export const RowActionSchema = v.picklist([
  'sync',
  'bind_product',
  'bind_company',
  'none',
  'adopt',
  'cancel_addition',
]);
export type RowAction = v.InferOutput<typeof RowActionSchema>;

/** What ConnectWise will bill against what it should, per month (cents), and in words (the server's judgement). */
export const RowMoneySchema = v.object({
  firstUninvoicedMonth: v.string(),
  months: v.array(v.object({ month: v.string(), will: v.number(), should: v.number() })),
  backBill: v.number(),
  olderShortfall: v.number(),
  message: v.string(),
  /** A usage product (billed in arrears): each month synced, not billed (amount in cents) or not closed yet. */
  usage: v.optional(
    v.array(
      v.object({
        month: v.string(),
        status: v.picklist(['synced', 'not_billed', 'older', 'not_closed']),
        amount: v.number(),
        additionId: v.nullable(v.number()),
      }),
    ),
  ),
  // Optional: a server from before the terms answers without it (then the row shows Pax8's billing term).
  term: v.optional(v.string()),
});
export type RowMoney = v.InferOutput<typeof RowMoneySchema>;

/** What the pod reads of a ConnectWise addition, the same on a view row and on a ghost. */
const AdditionEntries = {
  id: Id,
  quantity: v.number(),
  unitPrice: Money,
  unitCost: Money,
  effectiveDate: NullableDate,
  cancelledDate: NullableDate,
  invoiceDescription: v.string(),
};

export const ViewRowSchema = v.object({
  subscription: v.object({
    id: v.string(),
    productId: v.string(),
    productName: v.string(),
    quantity: v.number(),
    price: Money,
    partnerCost: Money,
    billingTerm: v.string(),
    status: v.string(),
    startDate: v.string(),
  }),
  productBinding: v.nullable(v.object({ catalogId: Id, identifier: v.string() })),
  agreementId: v.nullable(Id),
  addition: v.nullable(v.object(AdditionEntries)),
  status: RowStatusSchema,
  action: RowActionSchema,
  unsyncedChanges: v.number(),
  // Optional: a server from before the judgement answers without them.
  fixAdditionIds: v.optional(v.array(Id), []),
  writeInFlight: v.optional(v.boolean(), false),
  money: v.optional(v.nullable(RowMoneySchema), null),
  /** The product binding changed since the addition was written; the addition is left as it was. */
  bindingChanged: v.optional(v.string()),
});
export type ViewRow = v.InferOutput<typeof ViewRowSchema>;

/** An addition billing a bound Pax8 product with no live subscription behind it (the server's findGhosts). */
export const GhostSchema = v.object({
  agreementId: Id,
  addition: v.object({ ...AdditionEntries, catalogId: Id, identifier: v.optional(v.string()) }),
  productName: v.optional(v.string()),
  reason: v.picklist(['subscription_cancelled', 'no_subscription']),
  /** Its marker names a subscription the bound Pax8 company does not have (bound to another since). */
  note: v.optional(v.string()),
});
export type Ghost = v.InferOutput<typeof GhostSchema>;
// Optional: a server from before ghosts answers without them.
const GhostsSchema = v.optional(v.array(GhostSchema), []);

const BindingSchema = v.nullable(v.object({ pax8CompanyId: v.string(), name: v.string() }));
export type CompanyBinding = v.InferOutput<typeof BindingSchema>;
const CandidateSchema = v.object({ pax8CompanyId: v.string(), name: v.string(), score: v.number() });
export type Candidate = v.InferOutput<typeof CandidateSchema>;
/** GET /api/pax8/companies?search=: unbound Pax8 companies by name. */
export const CompanySearchSchema = v.object({ companies: v.array(CandidateSchema) });
const WarningSchema = v.object({ code: v.string(), message: v.string() });

/** What an agreement's view and a company's view both carry. */
const ViewEntries = {
  binding: BindingSchema,
  candidates: v.array(CandidateSchema),
  rows: v.array(ViewRowSchema),
  ghosts: GhostsSchema,
  warnings: v.array(WarningSchema),
};

export const AgreementViewSchema = v.object({ agreement: AgreementSchema, ...ViewEntries });
export type AgreementView = v.InferOutput<typeof AgreementViewSchema>;

export const CompanyViewSchema = v.object({
  company: v.object({ id: Id, name: v.string() }),
  agreements: v.array(AgreementSchema),
  ...ViewEntries,
});
export type CompanyView = v.InferOutput<typeof CompanyViewSchema>;

const CompanyPairSchema = v.object({ cwCompanyId: Id, pax8CompanyId: v.string() });
export const BindCompanyResultSchema = v.object({ binding: CompanyPairSchema });
export const BindingsListSchema = v.object({ companies: v.array(CompanyPairSchema) });

export const CatalogItemSchema = v.object({
  id: Id,
  identifier: v.string(),
  description: v.string(),
  price: v.nullish(v.number(), null),
  cost: v.nullish(v.number(), null),
  taxable: v.optional(v.boolean(), false),
});
export type CatalogItem = v.InferOutput<typeof CatalogItemSchema>;
export const CatalogSearchSchema = v.object({ items: v.array(CatalogItemSchema) });

const LookupSchema = v.object({
  id: Id,
  name: v.string(),
  category: v.optional(v.nullable(v.object({ id: Id }))),
});
export type Lookup = v.InferOutput<typeof LookupSchema>;
export const LookupsSchema = v.object({
  categories: v.array(LookupSchema),
  subcategories: v.array(LookupSchema),
  types: v.array(LookupSchema),
  unitsOfMeasure: v.array(LookupSchema),
});
export type Lookups = v.InferOutput<typeof LookupsSchema>;

export const PricingSchema = v.object({
  pricing: v.array(
    v.object({
      billingTerm: v.string(),
      rates: v.array(v.object({ partnerBuyRate: v.number(), suggestedRetailPrice: v.number() })),
    }),
  ),
});
export type Pricing = v.InferOutput<typeof PricingSchema>;

export const ExportResultSchema = v.object({
  catalogItem: v.object({ id: Id, identifier: v.string() }),
  binding: v.object({ cwCatalogId: Id }),
});

/** GET /api/bindings/company/:id/prefill: the Create and Bind form as ConnectWise has the company. */
export const CompanyPrefillSchema = v.object({
  cwCompanyId: Id,
  company: v.object({
    name: v.string(),
    street: v.string(),
    street2: v.string(),
    city: v.string(),
    stateOrProvince: v.string(),
    postalCode: v.string(),
    country: v.string(),
    phone: v.string(),
    website: v.string(),
  }),
  contacts: v.array(v.object({ cwContactId: Id, name: v.string(), email: v.nullable(v.string()) })),
});
export type CompanyPrefill = v.InferOutput<typeof CompanyPrefillSchema>;

/** POST /api/bindings/company/create. */
export const CreateAndBindResultSchema = v.object({
  binding: v.object({ cwCompanyId: Id, pax8CompanyId: v.string(), name: v.string() }),
  outcome: v.picklist(['created', 'found', 'already']),
});

/** GET /api/bindings' product bindings: what the upkeep form edits. */
export const ProductBindingSchema = v.object({
  pax8ProductId: v.string(),
  billingTerm: v.string(),
  cwCatalogId: Id,
  cwIdentifier: v.string(),
  price: v.nullable(v.string()),
  markupPercent: v.optional(v.nullable(v.string()), null),
  usage: v.optional(v.boolean(), false),
  billCustomer: v.optional(v.nullable(v.picklist(['Billable', 'DoNotBill', 'NoCharge'])), null),
  taxable: v.optional(v.nullable(v.boolean()), null),
});
export type ProductBindingView = v.InferOutput<typeof ProductBindingSchema>;
export const ProductBindingsSchema = v.object({ products: v.array(ProductBindingSchema) });
export const ProductBindResultSchema = v.object({ binding: ProductBindingSchema });
