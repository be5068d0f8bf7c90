// Wire shapes of the emulated Pax8 Partner API, written from the field lists of the published spec.
export type BillingTerm = 'Monthly' | 'Annual' | '2-Year' | '3-Year' | 'One-Time' | 'Trial' | 'Activation';

export type SubscriptionStatus =
  | 'Active'
  | 'Cancelled'
  | 'PendingManual'
  | 'PendingAutomated'
  | 'PendingCancel'
  | 'WaitingForDetails'
  | 'Trial'
  | 'Converted'
  | 'PendingActivation'
  | 'Activated';

export type Address = {
  street: string;
  street2: string | null;
  city: string;
  stateOrProvince: string;
  postalCode: string;
  country: string;
};

export type Company = {
  id: string;
  name: string;
  address: Address;
  phone: string;
  website: string;
  externalId: string | null;
  billOnBehalfOfEnabled: boolean;
  selfServiceAllowed: boolean;
  orderApprovalRequired: boolean;
  status: 'Active' | 'Inactive' | 'Deleted';
  updatedDate: string;
};

export type ContactType = { type: 'Admin' | 'Billing' | 'Technical'; primary: boolean };

export type Contact = {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  createdDate: string;
  types: ContactType[];
};

export type Product = {
  id: string;
  name: string;
  vendorName: string;
  shortDescription: string;
  sku: string;
  vendorSku: string;
  altVendorSku: string | null;
  requiresCommitment: boolean;
};

export type ProductDetail = Product & { description: string };

export type Rate = {
  partnerBuyRate: number;
  suggestedRetailPrice: number;
  startQuantityRange: number;
  endQuantityRange: number | null;
  chargeType: 'Per Unit' | 'Flat Rate';
};

export type Pricing = {
  productId: string;
  productName: string;
  billingTerm: BillingTerm;
  commitmentTerm: string | null;
  commitmentTermInMonths: number | null;
  type: 'Flat' | 'Volume' | 'Tiered' | 'Mark-Up';
  unitOfMeasurement: string;
  rates: Rate[];
};

export type Commitment = {
  id: string;
  term: string;
  autoRenew: boolean;
  renewalWindowDaysBeforeTermEnd: number;
  renewalWindowDaysAfterTermEnd: number;
  allowForQuantityIncrease: boolean;
  allowForQuantityDecrease: boolean;
  allowForEarlyCancellation: boolean;
  cancellationFeeApplied: boolean;
  isTransferable: boolean;
};

export type ProvisioningDetail = {
  label: string;
  key: string;
  values: string[];
  description: string;
  valueType: 'Input' | 'Single-Value' | 'Multi-Value';
  possibleValues: string[] | null;
};

export type SubscriptionCommitment = { id: string; term: string; endDate: string };

export type Subscription = {
  id: string;
  parentSubscriptionId: string | null;
  companyId: string;
  productId: string;
  vendorSubscriptionId: string | null;
  vendorSkuId: string | null;
  quantity: number;
  startDate: string;
  endDate: string | null;
  createdDate: string;
  updatedDate: string;
  billingStart: string;
  status: SubscriptionStatus;
  price: number;
  partnerCost: number;
  currencyCode: string;
  productName: string;
  billingTerm: BillingTerm;
  provisioningDetails: ProvisioningDetail[];
  commitmentTerm: SubscriptionCommitment | null;
};

export type LineItem = {
  id: string;
  productId: string;
  subscriptionId: string | null;
  commitmentTermId: string | null;
  provisionStartDate: string | null;
  lineItemNumber: number;
  billingTerm: BillingTerm;
  parentSubscriptionId: string | null;
  parentLineItemNumber: number | null;
  quantity: number;
  provisioningDetails: ProvisioningDetail[];
};

export type Order = {
  id: string;
  companyId: string;
  createdDate: string;
  orderedBy: 'Pax8 Partner' | 'Customer' | 'Pax8';
  orderedByUserId: string | null;
  orderedByUserEmail: string | null;
  isScheduled: boolean;
  lineItems: LineItem[];
};

export type UsageSummary = {
  id: string;
  companyId: string;
  productId: string;
  subscriptionId: string;
  resourceGroup: string;
  vendorName: string;
  currentCharges: number;
  currencyCode: string;
  partnerTotal: number;
  isTrial: boolean;
};

export type UsageLine = {
  usageSummaryId: string;
  usageDate: string;
  productName: string;
  productId: string;
  unitOfMeasure: string;
  quantity: number;
  currentCharges: number;
  currentProfit: number;
  partnerTotal: number;
  unitPrice: number;
  currencyCode: string;
  isTrial: boolean;
};

export type InvoiceStatus = 'Unpaid' | 'Paid' | 'Void' | 'Carried' | 'Nothing Due' | 'Credited';

export type Invoice = {
  id: string;
  invoiceDate: string;
  dueDate: string;
  balance: number;
  carriedBalance: number;
  total: number;
  currencyCode: string;
  partnerName: string;
  companyId: string | null;
  externalId: string | null;
  status: InvoiceStatus;
};

export type InvoiceItemType =
  | 'rebate'
  | 'prorate'
  | 'subscription'
  | 'payment-credit'
  | 'one-time'
  | 'service-charge'
  | 'service-credit'
  | 'invoice-credit';

export type InvoiceItem = {
  id: string;
  purchaseOrderNumber: string | null;
  type: InvoiceItemType;
  companyId: string;
  externalId: string | null;
  companyName: string;
  startPeriod: string;
  endPeriod: string;
  quantity: number;
  unitOfMeasure: string;
  term: string;
  sku: string;
  description: string;
  details: string | null;
  rateType: string;
  chargeType: 'flat' | 'per';
  price: number;
  subTotal: number;
  cost: number;
  costTotal: number;
  offeredBy: string;
  billedByPax8: boolean;
  total: number;
  productId: string;
  productName: string;
  billingFee: number;
  billingFeeRate: number;
  amountDue: number;
  currencyCode: string;
  salesTax: number;
  subscriptionId: string | null;
  vendorName: string;
};
