// Valibot schemas for the ConnectWise responses the product reads (reference §2, §4; connectwise-models.json).
// Entities are loose objects: unknown fields are kept, so a record read and PUT back loses nothing.
import * as v from 'valibot';

/** Optional fields may be absent or null (CW sends both); either way the output is `undefined`. */
const opt = <S extends v.GenericSchema>(schema: S) =>
  v.optional(
    v.pipe(
      v.nullable(schema),
      v.transform((value) => value ?? undefined),
    ),
  );
const str = () => opt(v.string());
const num = () => opt(v.number());
const bool = () => opt(v.boolean());

export const RefSchema = v.looseObject({ id: v.number(), name: str(), identifier: str() });
export type Ref = v.InferOutput<typeof RefSchema>;
const ref = () => opt(RefSchema);

export const InfoSchema = v.looseObject({
  version: v.string(),
  isCloud: bool(),
  serverTimeZone: str(),
  cloudRegion: str(),
});
export type Info = v.InferOutput<typeof InfoSchema>;

export const MemberSchema = v.looseObject({
  id: v.number(),
  identifier: v.string(),
  firstName: str(),
  lastName: str(),
  primaryEmail: str(),
  officeEmail: str(),
  inactiveFlag: bool(),
});
export type Member = v.InferOutput<typeof MemberSchema>;

export const CompanySchema = v.looseObject({
  id: v.number(),
  identifier: v.string(),
  name: v.string(),
  status: ref(),
  types: opt(v.array(RefSchema)),
  deletedFlag: bool(),
  city: str(),
  state: str(),
});
export type Company = v.InferOutput<typeof CompanySchema>;

export const ContactSchema = v.looseObject({
  id: v.number(),
  firstName: str(),
  lastName: str(),
  company: ref(),
  inactiveFlag: bool(),
  defaultFlag: bool(),
  communicationItems: opt(
    v.array(v.looseObject({ value: str(), communicationType: str(), defaultFlag: bool() })),
  ),
});
export type Contact = v.InferOutput<typeof ContactSchema>;

export const CatalogItemSchema = v.looseObject({
  id: v.number(),
  identifier: v.string(),
  description: str(),
  customerDescription: str(),
  category: ref(),
  subcategory: ref(),
  type: ref(),
  unitOfMeasure: ref(),
  productClass: str(),
  price: num(),
  cost: num(),
  vendorSku: str(),
  taxableFlag: bool(),
  inactiveFlag: bool(),
});
export type CatalogItem = v.InferOutput<typeof CatalogItemSchema>;

/** Categories, subcategories, product types, units of measure, billing cycles. */
export const NamedSchema = v.looseObject({
  id: v.number(),
  name: v.string(),
  inactiveFlag: bool(),
  defaultFlag: bool(),
});
export type Named = v.InferOutput<typeof NamedSchema>;

const status = () => opt(v.picklist(['Active', 'Cancelled', 'Expired', 'Inactive']));

export const AgreementSchema = v.looseObject({
  id: v.number(),
  name: v.string(),
  type: ref(),
  company: RefSchema,
  agreementStatus: status(),
  startDate: str(),
  endDate: str(),
  noEndingDateFlag: bool(),
  cancelledFlag: bool(),
  billingCycle: ref(),
  billStartDate: str(),
  nextInvoiceDate: str(),
  prorateFlag: bool(),
  invoiceProratedAdditionsFlag: bool(),
  parentAgreement: ref(),
});
export type Agreement = v.InferOutput<typeof AgreementSchema>;

export const AdditionSchema = v.looseObject({
  id: v.number(),
  product: RefSchema,
  billCustomer: opt(v.picklist(['Billable', 'DoNotBill', 'NoCharge'])),
  quantity: num(),
  lessIncluded: num(),
  unitPrice: num(),
  unitCost: num(),
  effectiveDate: str(),
  cancelledDate: str(),
  description: str(),
  invoiceDescription: str(),
  agreementStatus: status(),
  agreementId: num(),
  uom: str(),
  taxableFlag: bool(),
  prorateCurrentPeriodFlag: bool(),
  extPrice: num(),
  extCost: num(),
});
export type Addition = v.InferOutput<typeof AdditionSchema>;

/**
 * What the board asks ConnectWise for (`fields=`): only what `toAddition` reads, so each additions page is a fraction
 * of the whole records (no product names, extended amounts, hrefs) and its parsed copy is short-lived garbage.
 */
export const JUDGED_ADDITION_FIELDS = [
  'id',
  'agreementId',
  'product/id',
  'billCustomer',
  'quantity',
  'unitPrice',
  'unitCost',
  'effectiveDate',
  'cancelledDate',
  'description',
  'invoiceDescription',
  'taxableFlag',
  '_info/lastUpdated',
] as const;

/** The partial addition `JUDGED_ADDITION_FIELDS` returns; a strict object, so nothing else is kept. */
export const JudgedAdditionSchema = v.object({
  id: v.number(),
  agreementId: num(),
  product: v.object({ id: v.number() }),
  billCustomer: AdditionSchema.entries.billCustomer,
  quantity: num(),
  unitPrice: num(),
  unitCost: num(),
  effectiveDate: str(),
  cancelledDate: str(),
  description: str(),
  invoiceDescription: str(),
  taxableFlag: bool(),
  _info: opt(v.object({ lastUpdated: str() })),
});
export type JudgedAddition = v.InferOutput<typeof JudgedAdditionSchema>;

export const HostedSetupSchema = v.looseObject({
  id: v.number(),
  screenId: v.number(),
  description: v.string(),
  url: v.string(),
  type: v.string(),
  origin: str(),
  clientId: str(),
  podHeight: num(),
  disabledFlag: bool(),
});
export type HostedSetup = v.InferOutput<typeof HostedSetupSchema>;

export const MenuEntrySchema = v.looseObject({
  id: v.number(),
  caption: v.string(),
  link: v.string(),
  // A MenuLocationReference {id, name} in the spec; some servers answer with the plain name.
  menuLocation: opt(v.union([RefSchema, v.string()])),
  newWindowFlag: bool(),
  origin: str(),
  clientId: str(),
});
export type MenuEntry = v.InferOutput<typeof MenuEntrySchema>;

export const ReportSchema = v.object({
  column_definitions: v.array(v.record(v.string(), v.unknown())),
  row_values: v.array(v.array(v.unknown())),
});

export const CountSchema = v.object({ count: v.number() });

/** Bodies we send. CW fills and computes the rest. */
export type PatchOp = { op: 'replace' | 'add' | 'remove'; path: string; value?: unknown };
export type RefInput = { id: number } | { identifier: string } | { name: string };
export type AdditionInput = {
  product: RefInput;
  billCustomer: 'Billable' | 'DoNotBill' | 'NoCharge';
  [field: string]: unknown;
};
export type CatalogItemInput = {
  identifier: string;
  description: string;
  customerDescription: string;
  subcategory: RefInput;
  type: RefInput;
  [field: string]: unknown;
};
export type HostedSetupInput = {
  screenId: number;
  description: string;
  url: string;
  type: 'Tab' | 'Pod' | 'ToolbarButton';
  [field: string]: unknown;
};
export type MenuEntryInput = {
  menuLocation: RefInput | string;
  caption: string;
  link: string;
  newWindowFlag: boolean;
  [field: string]: unknown;
};
