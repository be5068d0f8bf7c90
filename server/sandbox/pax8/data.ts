// The emulator's in-memory state and the seeding helpers tests use to build exact scenarios.

import { hash32, uuidFrom } from '../demo/ids.ts';
import { buildProduct, type ProductInput, type ProductRecord, termMonths } from './catalog.ts';
import { addDays, addMonths, type DateInput, dayOf, isoOf } from './dates.ts';
import type {
  BillingTerm,
  Company,
  Contact,
  ContactType,
  Invoice,
  InvoiceItem,
  Order,
  Subscription,
  SubscriptionStatus,
  UsageLine,
  UsageSummary,
} from './types.ts';

export type SubscriptionRecord = { current: Subscription; history: Subscription[] };

type Loose<T> = { [K in keyof T]?: T[K] | undefined };

export type CompanyInput = Loose<Omit<Company, 'address'>> & {
  name: string;
  address?: Loose<Company['address']>;
};

export type ContactInput = {
  id?: string;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null | undefined;
  types?: ContactType[] | undefined;
  createdDate?: DateInput | undefined;
};

export type SubscriptionInput = {
  id?: string;
  companyId: string;
  productId: string;
  billingTerm?: BillingTerm;
  status?: SubscriptionStatus;
  price: number;
  partnerCost: number;
  /**
   * The quantity over time, oldest first: the first entry is the start. Each one is a Pax8 order placed by
   * `orderedBy` (a partner user's e-mail; default: one of the partner's users, chosen from the id).
   */
  history: { date: DateInput; quantity: number; orderedBy?: string | null }[];
  /** False when the caller records its own order (POST /orders). */
  recordOrder?: boolean;
  endDate?: DateInput | null;
  parentSubscriptionId?: string | null;
  /** Microsoft's own id of the subscription (default: derived from the id for Microsoft products). */
  vendorSubscriptionId?: string | null;
  /** For annual NCE terms: the commitment's end date (default: start + term). */
  commitmentEndDate?: DateInput;
  /** A commitment paid on another rhythm (an NCE annual term billed monthly): its term (default: the billing term). */
  commitment?: BillingTerm;
  /** When Pax8 starts billing (default: the start): a trial's conversion day. */
  billingStart?: DateInput;
};

export type Pax8Data = {
  partnerName: string;
  companies: Map<string, Company>;
  contacts: Map<string, Contact[]>;
  products: Map<string, ProductRecord>;
  subscriptions: Map<string, SubscriptionRecord>;
  orders: Map<string, Order>;
  usageSummaries: Map<string, UsageSummary>;
  usageLines: Map<string, UsageLine[]>;
  invoices: Map<string, { invoice: Invoice; items: InvoiceItem[] }>;
  /** Brings clock-driven data (the demo's usage and invoices) up to `now`; absent: the data stays as built. */
  advance?: ((now: Date) => void) | undefined;
  addCompany(input: CompanyInput): Company;
  addContact(companyId: string, input: ContactInput): Contact;
  addProduct(input: ProductInput): ProductRecord;
  addSubscription(input: SubscriptionInput): Subscription;
  /** Sets the quantity and appends a history snapshot dated `date` (an order by `orderedBy` when given). */
  changeQuantity(id: string, quantity: number, date: DateInput, orderedBy?: string | null): Subscription;
  /** Applies any change and appends a snapshot dated `date`. */
  patchSubscription(id: string, patch: Partial<Subscription>, date: DateInput): Subscription;
  addUsage(summary: UsageSummary, lines: UsageLine[]): void;
  addInvoice(invoice: Invoice, items: InvoiceItem[]): void;
  /** Issues a bearer token valid for ttlSeconds from `now`. */
  issueToken(now: Date, ttlSeconds: number): string;
  tokenValid(token: string, now: Date): boolean;
  /** Invalidates every token issued so far, so the next call with one gets 401. */
  revokeTokens(): void;
};

/** The demo partner's users who place orders in Pax8 (the guide's history names them). */
export const PARTNER_USERS = [
  'a.markov@northwind.example',
  'k.park@northwind.example',
  'n.ross@northwind.example',
];

const partnerUserFor = (key: string): string => PARTNER_USERS[hash32(key) % PARTNER_USERS.length]!;

/** A history snapshot: its own copy, so later changes never rewrite the past. */
const snapshotOf = (sub: Subscription): Subscription => ({
  ...sub,
  provisioningDetails: [...sub.provisioningDetails],
  commitmentTerm: sub.commitmentTerm ? { ...sub.commitmentTerm } : null,
});

export function createPax8Data(partnerName = 'Northwind Managed Services'): Pax8Data {
  const tokens = new Map<string, number>();
  const data: Pax8Data = {
    partnerName,
    companies: new Map(),
    contacts: new Map(),
    products: new Map(),
    subscriptions: new Map(),
    orders: new Map(),
    usageSummaries: new Map(),
    usageLines: new Map(),
    invoices: new Map(),

    addCompany(input) {
      const company: Company = {
        id: input.id ?? crypto.randomUUID(),
        name: input.name,
        address: {
          street: '1 Main Street',
          street2: null,
          city: 'Denver',
          stateOrProvince: 'CO',
          postalCode: '80202',
          country: 'US',
          ...(Object.fromEntries(
            Object.entries(input.address ?? {}).filter(([, value]) => value !== undefined),
          ) as Partial<Company['address']>),
        },
        phone: input.phone ?? '555-0100',
        website: input.website ?? '',
        externalId: input.externalId ?? null,
        billOnBehalfOfEnabled: input.billOnBehalfOfEnabled ?? false,
        selfServiceAllowed: input.selfServiceAllowed ?? false,
        orderApprovalRequired: input.orderApprovalRequired ?? false,
        status: input.status ?? 'Active',
        updatedDate: input.updatedDate ?? '2020-01-01T00:00:00.000Z',
      };
      data.companies.set(company.id, company);
      return company;
    },

    addContact(companyId, input) {
      const contact: Contact = {
        id: input.id ?? crypto.randomUUID(),
        firstName: input.firstName,
        lastName: input.lastName,
        email: input.email,
        phone: input.phone ?? null,
        createdDate: isoOf(input.createdDate ?? '2020-01-01'),
        types: input.types ?? [{ type: 'Admin', primary: true }],
      };
      const list = data.contacts.get(companyId) ?? [];
      list.push(contact);
      data.contacts.set(companyId, list);
      return contact;
    },

    addProduct(input) {
      const record = buildProduct(input);
      data.products.set(record.detail.id, record);
      return record;
    },

    addSubscription(input) {
      const product = data.products.get(input.productId);
      if (!product) throw new Error(`addSubscription: no product ${input.productId}`);
      const [first, ...changes] = input.history;
      if (!first) throw new Error('addSubscription: history needs at least the start');
      const billingTerm = input.billingTerm ?? 'Monthly';
      const start = isoOf(first.date);
      const commitmentName = input.commitment ?? billingTerm;
      const commitmentTemplate = product.commitments.find((c) => c.term === commitmentName);
      const id = input.id ?? crypto.randomUUID();
      const sub: Subscription = {
        id,
        parentSubscriptionId: input.parentSubscriptionId ?? null,
        companyId: input.companyId,
        productId: input.productId,
        vendorSubscriptionId:
          product.detail.vendorName === 'Microsoft' ? uuidFrom(`pax8-vendor-sub:${id}`) : null,
        vendorSkuId: product.detail.vendorSku,
        quantity: first.quantity,
        startDate: start,
        endDate: input.endDate ? isoOf(input.endDate) : null,
        createdDate: start,
        updatedDate: start,
        billingStart: dayOf(input.billingStart ? isoOf(input.billingStart) : start),
        status: input.status ?? 'Active',
        price: input.price,
        partnerCost: input.partnerCost,
        currencyCode: 'USD',
        productName: product.detail.name,
        billingTerm,
        provisioningDetails: product.provisioning,
        commitmentTerm:
          commitmentTemplate && commitmentName !== 'Monthly'
            ? {
                id: commitmentTemplate.id,
                term: commitmentName,
                // The current term's last day (as Microsoft NCE and billing/terms.ts read it): start + term − 1 day.
                endDate: isoOf(
                  input.commitmentEndDate ?? addDays(addMonths(start, termMonths(commitmentName)), -1),
                ),
              }
            : null,
      };
      // Cancelled from the start: it was ordered Active, and the cancellation is a later snapshot (on its end).
      const cancelledAt = sub.status === 'Cancelled' && sub.endDate ? sub.endDate : null;
      const opened = cancelledAt ? { ...sub, status: 'Active' as const, endDate: null } : sub;
      data.subscriptions.set(sub.id, { current: opened, history: [snapshotOf(opened)] });
      if (input.recordOrder !== false) {
        recordOrder(sub, first.quantity, start, first.orderedBy ?? partnerUserFor(`${id}:0`));
      }
      for (const [i, change] of changes.entries()) {
        const by = change.orderedBy ?? partnerUserFor(`${id}:${i + 1}`);
        data.changeQuantity(sub.id, change.quantity, change.date, by);
      }
      if (cancelledAt) {
        const record = data.subscriptions.get(sub.id)!;
        data.patchSubscription(
          sub.id,
          { status: 'Cancelled', endDate: cancelledAt },
          laterOf(cancelledAt, record.current.updatedDate),
        );
      }
      return data.subscriptions.get(sub.id)!.current;
    },

    changeQuantity(id, quantity, date, orderedBy) {
      const sub = data.patchSubscription(id, { quantity }, date);
      if (orderedBy) recordOrder(sub, quantity, sub.updatedDate, orderedBy);
      return sub;
    },

    patchSubscription(id, patch, date) {
      const record = data.subscriptions.get(id);
      if (!record) throw new Error(`No subscription ${id}`);
      record.current = { ...record.current, ...patch, id, updatedDate: isoOf(date) };
      record.history.push(snapshotOf(record.current));
      return record.current;
    },

    addUsage(summary, lines) {
      data.usageSummaries.set(summary.id, summary);
      data.usageLines.set(summary.id, [...(data.usageLines.get(summary.id) ?? []), ...lines]);
    },

    addInvoice(invoice, items) {
      data.invoices.set(invoice.id, { invoice, items });
    },

    issueToken(now, ttlSeconds) {
      const token = `pax8emu.${crypto.randomUUID()}`;
      tokens.set(token, now.getTime() + ttlSeconds * 1000);
      return token;
    },

    tokenValid(token, now) {
      const expiresAt = tokens.get(token);
      return expiresAt !== undefined && now.getTime() < expiresAt;
    },

    revokeTokens() {
      tokens.clear();
    },
  };
  /**
   * The Pax8 order behind a snapshot: its line item names the subscription and the quantity it set. Pax8 shows
   * who placed it in the history's "Ordered By"; its API has it only on orders (reference §1.5).
   */
  function recordOrder(sub: Subscription, quantity: number, at: string, email: string): void {
    const id = uuidFrom(`pax8-order:${sub.id}:${at}:${quantity}`);
    data.orders.set(id, {
      id,
      companyId: sub.companyId,
      createdDate: dayOf(at),
      orderedBy: 'Pax8 Partner',
      orderedByUserId: uuidFrom(`pax8-user:${email}`),
      orderedByUserEmail: email,
      isScheduled: false,
      lineItems: [
        {
          id: uuidFrom(`pax8-line:${id}`),
          productId: sub.productId,
          subscriptionId: sub.id,
          commitmentTermId: sub.commitmentTerm?.id ?? null,
          provisionStartDate: at,
          lineItemNumber: 1,
          billingTerm: sub.billingTerm,
          parentSubscriptionId: sub.parentSubscriptionId,
          parentLineItemNumber: null,
          quantity,
          provisioningDetails: [],
        },
      ],
    });
  }
  return data;
}

const laterOf = (a: string, b: string): string => (a > b ? a : b);
