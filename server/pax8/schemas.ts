// Valibot schemas of the Pax8 Partner API responses the pod reads. Lenient where Pax8 is loose
// (enums kept as strings, extra fields dropped), strict on the fields the sync needs.
import * as v from 'valibot';

const text = v.string();
const optionalText = v.optional(v.nullable(v.string()), null);
const optionalNumber = v.optional(v.nullable(v.number()), null);
const optionalBoolean = v.optional(v.nullable(v.boolean()), null);

export const TokenResponseSchema = v.object({
  access_token: v.pipe(text, v.minLength(1)),
  expires_in: v.pipe(v.number(), v.minValue(1)),
  token_type: v.optional(text, 'Bearer'),
});
export type TokenResponse = v.InferOutput<typeof TokenResponseSchema>;

export const ErrorBodySchema = v.object({
  type: v.optional(text),
  message: v.optional(text),
  instance: v.optional(text),
  status: v.optional(v.number()),
  details: v.optional(v.nullable(v.array(v.object({ message: v.optional(v.nullable(text)) })))),
  error: v.optional(text),
  error_description: v.optional(text),
  detail: v.optional(text),
});
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

export const PageSchema = v.object({
  size: v.number(),
  totalElements: v.pipe(v.number(), v.integer(), v.minValue(0)),
  totalPages: v.pipe(v.number(), v.integer(), v.minValue(0)),
  number: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type Page = v.InferOutput<typeof PageSchema>;

export const AddressSchema = v.object({
  street: optionalText,
  street2: optionalText,
  city: optionalText,
  stateOrProvince: optionalText,
  postalCode: optionalText,
  country: optionalText,
});

export const CompanySchema = v.object({
  id: text,
  name: text,
  address: v.optional(v.nullable(AddressSchema), null),
  phone: optionalText,
  website: optionalText,
  externalId: optionalText,
  billOnBehalfOfEnabled: optionalBoolean,
  selfServiceAllowed: optionalBoolean,
  orderApprovalRequired: optionalBoolean,
  status: v.optional(text, 'Active'),
  updatedDate: optionalText,
});
export type Company = v.InferOutput<typeof CompanySchema>;

export const ProductSchema = v.object({
  id: text,
  name: text,
  vendorName: text,
  shortDescription: optionalText,
  sku: text,
  vendorSku: optionalText,
  altVendorSku: optionalText,
  requiresCommitment: v.optional(v.boolean(), false),
  description: optionalText,
});
export type Product = v.InferOutput<typeof ProductSchema>;

export const RateSchema = v.object({
  partnerBuyRate: v.number(),
  suggestedRetailPrice: v.number(),
  startQuantityRange: optionalNumber,
  endQuantityRange: optionalNumber,
  chargeType: v.optional(text, 'Per Unit'),
});

export const PricingSchema = v.object({
  productId: v.optional(text),
  productName: v.optional(text),
  billingTerm: text,
  commitmentTerm: optionalText,
  commitmentTermInMonths: optionalNumber,
  type: v.optional(text, 'Flat'),
  unitOfMeasurement: optionalText,
  rates: v.array(RateSchema),
});
export type Pricing = v.InferOutput<typeof PricingSchema>;

const CommitmentSchema = v.object({ id: optionalText, term: text, endDate: optionalText });

/** Pax8's spec names it `commitmentTerm`; some live responses say `commitment`. Both become `commitmentTerm`. */
export const SubscriptionSchema = v.pipe(
  v.object({
    id: text,
    parentSubscriptionId: optionalText,
    companyId: text,
    productId: text,
    vendorSubscriptionId: optionalText,
    vendorSkuId: optionalText,
    quantity: v.number(),
    startDate: text,
    endDate: optionalText,
    createdDate: optionalText,
    updatedDate: optionalText,
    billingStart: optionalText,
    status: text,
    price: v.number(),
    partnerCost: v.optional(v.number(), 0),
    currencyCode: v.optional(text, 'USD'),
    productName: v.optional(text, ''),
    billingTerm: text,
    commitmentTerm: v.optional(v.nullable(CommitmentSchema)),
    commitment: v.optional(v.nullable(CommitmentSchema)),
  }),
  v.transform(({ commitment, commitmentTerm, ...rest }) => ({
    ...rest,
    commitmentTerm: commitmentTerm ?? commitment ?? null,
  })),
);
export type Subscription = v.InferOutput<typeof SubscriptionSchema>;

export const LineItemSchema = v.object({
  id: optionalText,
  productId: text,
  subscriptionId: optionalText,
  commitmentTermId: optionalText,
  lineItemNumber: optionalNumber,
  billingTerm: text,
  quantity: v.number(),
});

export const OrderSchema = v.object({
  id: optionalText,
  companyId: text,
  createdDate: optionalText,
  orderedBy: optionalText,
  orderedByUserId: optionalText,
  orderedByUserEmail: optionalText,
  isScheduled: optionalBoolean,
  lineItems: v.array(LineItemSchema),
});
export type Order = v.InferOutput<typeof OrderSchema>;

export const UsageSummarySchema = v.object({
  id: text,
  companyId: optionalText,
  productId: optionalText,
  subscriptionId: optionalText,
  resourceGroup: optionalText,
  vendorName: optionalText,
  currentCharges: v.number(),
  currencyCode: v.optional(text, 'USD'),
  partnerTotal: v.number(),
  isTrial: optionalBoolean,
});
export type UsageSummary = v.InferOutput<typeof UsageSummarySchema>;

export const UsageLineSchema = v.object({
  usageSummaryId: optionalText,
  usageDate: text,
  productName: optionalText,
  productId: optionalText,
  unitOfMeasure: optionalText,
  quantity: v.number(),
  currentCharges: v.number(),
  currentProfit: optionalNumber,
  partnerTotal: v.number(),
  unitPrice: optionalNumber,
  currencyCode: v.optional(text, 'USD'),
  isTrial: optionalBoolean,
});
export type UsageLine = v.InferOutput<typeof UsageLineSchema>;

export const InvoiceSchema = v.object({
  id: text,
  invoiceDate: text,
  dueDate: optionalText,
  balance: optionalNumber,
  carriedBalance: optionalNumber,
  total: v.number(),
  currencyCode: v.optional(text, 'USD'),
  partnerName: optionalText,
  companyId: optionalText,
  externalId: optionalText,
  status: optionalText,
});
export type Invoice = v.InferOutput<typeof InvoiceSchema>;

export const InvoiceItemSchema = v.object({
  id: text,
  type: text,
  companyId: optionalText,
  externalId: optionalText,
  companyName: optionalText,
  startPeriod: optionalText,
  endPeriod: optionalText,
  quantity: v.number(),
  unitOfMeasure: optionalText,
  term: optionalText,
  sku: optionalText,
  description: optionalText,
  rateType: optionalText,
  chargeType: optionalText,
  price: optionalNumber,
  subTotal: optionalNumber,
  cost: optionalNumber,
  costTotal: optionalNumber,
  total: optionalNumber,
  productId: optionalText,
  productName: optionalText,
  currencyCode: v.optional(text, 'USD'),
  subscriptionId: optionalText,
  vendorName: optionalText,
});
export type InvoiceItem = v.InferOutput<typeof InvoiceItemSchema>;

export const contentOf = <S extends v.GenericSchema>(item: S) => v.object({ content: v.array(item) });
export const pageOf = <S extends v.GenericSchema>(item: S) =>
  v.object({ content: v.array(item), page: PageSchema });
