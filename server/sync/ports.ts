// The small interfaces sync/ reaches IO through: the two upstream APIs and the store. The routes
// wire them from the real clients and repositories; tests may pass in-memory fakes.
import type { AdditionMarker } from './marker.ts';

/** A Pax8 subscription as sync needs it. Dates are calendar dates 'YYYY-MM-DD'; updatedDate is ISO. */
export type SyncSubscription = {
  id: string;
  companyId: string;
  productId: string;
  productName: string;
  billingTerm: string;
  quantity: number;
  price: number;
  partnerCost: number;
  status: string;
  startDate: string;
  endDate: string | null;
  updatedDate: string | null;
  /** Pax8's commitment (NCE): its term and the current term's last day; null without one. */
  commitment?: { term: string; endDate: string | null } | null;
  /** When the order was placed (ISO): the decrease window runs 168 h from then. */
  createdDate?: string | null;
  /** A trial converted on this day: billing starts here (Pax8's billingStart when later than the start). */
  convertedDate?: string | null;
};

export type SyncHistoryPoint = { date: string; quantity: number };

/** A usage month of one subscription as Pax8 reports it (spec §5): partner total and customer charge, dollars. */
export type SyncUsageMonth = {
  subscriptionId: string;
  month: string;
  partnerTotal: string;
  currentCharges: string;
};

export type SyncAgreement = {
  id: number;
  name: string;
  status: string;
  company: { id: number; name: string };
  nextInvoiceDate: string | null;
  billingCycle: string | null;
};

export type BillCustomer = 'Billable' | 'DoNotBill' | 'NoCharge';

/** An agreement addition. Money is a number on the ConnectWise wire; dates are 'YYYY-MM-DD' or null. */
export type SyncAddition = {
  id: number;
  agreementId: number;
  catalogId: number;
  quantity: number;
  unitPrice: number;
  unitCost: number;
  effectiveDate: string | null;
  cancelledDate: string | null;
  invoiceDescription: string;
  billCustomer: BillCustomer;
  taxable: boolean;
  /** When ConnectWise last changed it (ISO), when known. */
  updatedAt: string | null;
  /** The internal description (not on the invoice); it carries our marker. */
  description: string;
  /** The marker parsed from `description`: null when this product did not write the addition. */
  marker: AdditionMarker | null;
};

/** What a write sends; `description` (with the marker) is sent when given. */
export type AdditionInput = Omit<
  SyncAddition,
  'id' | 'agreementId' | 'updatedAt' | 'description' | 'marker'
> & {
  description?: string;
};

export type SyncUpstream = {
  getSubscription(id: string): Promise<SyncSubscription | null>;
  subscriptionHistory(id: string): Promise<SyncHistoryPoint[]>;
  /** Every page of a Pax8 company's subscriptions. */
  companySubscriptions(pax8CompanyId: string): Promise<SyncSubscription[]>;
  getAgreement(id: number): Promise<SyncAgreement | null>;
  companyAgreements(cwCompanyId: number): Promise<SyncAgreement[]>;
  /** Every page of an agreement's additions. */
  /** `judgedOnly`: ask ConnectWise only for the fields the judgement reads (the board's many walks). */
  listAdditions(agreementId: number, o?: { judgedOnly?: boolean }): Promise<SyncAddition[]>;
  getAddition(agreementId: number, id: number): Promise<SyncAddition | null>;
  createAddition(agreementId: number, input: AdditionInput): Promise<SyncAddition>;
  updateAddition(agreementId: number, id: number, patch: Partial<AdditionInput>): Promise<SyncAddition>;
  /** Removes an addition (undoing a batch's create); absent in fakes that never undo. */
  deleteAddition?(agreementId: number, id: number): Promise<void>;
  getCatalogItem(id: number): Promise<SyncCatalogItem | null>;
  /** Closed usage months of every subscription, from Pax8's invoices dated from `since` (absent: none read). */
  closedUsage?(since: string): Promise<SyncUsageMonth[]>;
  /** The running month's usage of a subscription so far, or null (absent: none read). */
  openUsage?(subscriptionId: string, today: string): Promise<SyncUsageMonth | null>;
};

export type SyncCatalogItem = {
  id: number;
  identifier: string;
  description: string;
  taxable: boolean;
  price: number | null;
  cost: number | null;
};

export type CompanyBinding = { cwCompanyId: number; pax8CompanyId: string };

export type ProductBinding = {
  pax8ProductId: string;
  billingTerm: string;
  cwCatalogId: number;
  cwIdentifier: string;
  price: string | null;
  /** Percent over Pax8's partner total for a usage month, e.g. "15"; null: Pax8's customer charge. */
  markupPercent?: string | null | undefined;
  /** The binding says its product is usage billed in arrears (spec §5); absent: not said. */
  usage?: boolean | undefined;
  /** Default bill option and taxable of new lines; null/absent: the tenant's defaults (Settings). */
  billCustomer?: 'Billable' | 'DoNotBill' | 'NoCharge' | null | undefined;
  taxable?: boolean | null | undefined;
};

/** 'ignored': a write left out at apply (never sent), kept so the views say it is not written. */
/** 'undone': a done write a batch undo reversed in ConnectWise (bulk-undo.ts); a later plan writes it again. */
export type JournalState = 'pending' | 'sent' | 'unknown' | 'done' | 'failed' | 'ignored' | 'undone';

export type JournalEntry = {
  idempotencyKey: string;
  planId: string;
  subscriptionId: string;
  agreementId: number;
  kind: string;
  action: string;
  request: unknown;
  changeKey: string | null;
};

export type JournalRow = JournalEntry & {
  id: string;
  state: JournalState;
  cwAdditionId: number | null;
  updatedAt: string;
  /** When it was last sent; null before it was, and for rows sent before sent_at was recorded. */
  sentAt: string | null;
  /** What ConnectWise answered (a done write: the addition as written, its after-image); absent in fakes. */
  response?: unknown;
};

export type StoredPlan = {
  id: string;
  memberId: string;
  subscriptionId: string;
  agreementId: number;
  body: unknown;
  createdAt: string;
  expiresAt: string;
};

export type AuditEntry = {
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
};

/** Everything sync/ needs from the store, already scoped to one tenant. */
export type SyncStore = {
  companyBindingByCw(cwCompanyId: number): Promise<CompanyBinding | null>;
  boundPax8CompanyIds(): Promise<string[]>;
  productBinding(pax8ProductId: string, billingTerm: string): Promise<ProductBinding | null>;
  productBindings(): Promise<ProductBinding[]>;
  savePlan(plan: StoredPlan): Promise<void>;
  /** Looked up within this tenant only: another tenant's plan is null. An expired plan throws plan_expired. */
  getPlan(id: string): Promise<StoredPlan | null>;
  /** Insert-if-absent by idempotency key; returns the row now stored and whether this call made it. */
  claim(entry: JournalEntry): Promise<{ row: JournalRow; created: boolean }>;
  /** About to send; `request` (the write and the addition's before-image) replaces the journaled one. */
  markSent(id: string, request?: unknown): Promise<void>;
  markDone(id: string, cwAdditionId: number, response: unknown): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  /** Journals a write left out at apply as 'ignored' (insert-if-absent by key); absent in fakes: not kept. */
  recordIgnored?(entry: JournalEntry): Promise<void>;
  /** Sent, and ConnectWise did not say whether it took it (see sync/outcome.ts). */
  markUnknown(id: string, error: string): Promise<void>;
  /** A done write a batch undo reversed (bulk-undo.ts); absent in fakes that never undo. */
  markUndone?(id: string): Promise<void>;
  /** Hands a done create whose addition is gone back to a new plan, as pending. */
  reopen(id: string, planId: string, request: unknown): Promise<JournalRow>;
  journalForSubscriptions(subscriptionIds: string[]): Promise<JournalRow[]>;
  syncedChangeKeys(subscriptionId: string, agreementId: number): Promise<string[]>;
  /** Change keys whose prorate was waived at a seat change from the pod; absent in fakes: none. */
  waivedChangeKeys?(subscriptionId: string): Promise<string[]>;
  /** A row lock with a ttl; false when another owner holds an unexpired one. */
  /** Every remembered price of the tenant, by subscription id (the views judge against them); absent: none. */
  priceOverrides?(): Promise<ReadonlyMap<string, string>>;
  /** The price chosen in the wizard for a subscription, remembered (spec §7); absent in fakes: none. */
  priceOverride?(subscriptionId: string): Promise<{ unitPrice: string; pax8Price: string } | null>;
  /** Remembers a chosen price (null: forget it, the default applies again). */
  rememberPrice?(
    subscriptionId: string,
    choice: { unitPrice: string; pax8Price: string } | null,
    memberId: string,
  ): Promise<void>;
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, owner: string): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
};
