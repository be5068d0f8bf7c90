// The Pax8 Partner API client: a factory over `fetch`, every answer checked with valibot.

import { countedFetch } from '../metrics.ts';
import type { CreateCompanyBody } from './company-input.ts';
import { collectAll } from './pager.ts';
import {
  type Company,
  CompanySchema,
  contentOf,
  type Invoice,
  type InvoiceItem,
  InvoiceItemSchema,
  InvoiceSchema,
  type Order,
  OrderSchema,
  type Pricing,
  PricingSchema,
  type Product,
  ProductSchema,
  type Subscription,
  SubscriptionSchema,
  type UsageLine,
  UsageLineSchema,
  type UsageSummary,
  UsageSummarySchema,
} from './schemas.ts';
import { createTransport } from './transport.ts';

export type Pax8ClientOptions = {
  /** e.g. https://api.pax8.com/v1, or the emulator's /sandbox/pax8/v1. */
  baseURL: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Retries of idempotent calls on 429, 5xx and network failures (default 3). */
  retries?: number;
  timeoutMs?: number;
};

export type SubscriptionFilter = {
  companyId?: string;
  productId?: string;
  status?: string;
  billingTerm?: string;
};
export type SubscriptionUpdate = {
  quantity?: number;
  price?: number;
  billingTerm?: string;
  startDate?: string;
};
export type InvoiceFilter = {
  status?: string;
  companyId?: string;
  invoiceDateRangeStart?: string;
  invoiceDateRangeEnd?: string;
};
export type OrderInput = {
  companyId: string;
  orderedBy?: 'Pax8 Partner' | 'Customer' | 'Pax8';
  lineItems: {
    productId: string;
    billingTerm: string;
    quantity: number;
    lineItemNumber?: number;
    commitmentTermId?: string;
    provisionStartDate?: string;
    parentSubscriptionId?: string;
  }[];
};

export type Pax8Client = {
  /**
   * Proves the credentials with one token request (none while a token is cached): the cheapest call that
   * needs them. Refused credentials throw AppError('upstream_auth'). The token itself stays inside.
   */
  checkCredentials(): Promise<void>;
  companies: {
    all(): Promise<Company[]>;
    get(id: string): Promise<Company>;
    /** POST /companies: never retried (a retry after a lost answer could create two); see bindings/create-company. */
    create(body: CreateCompanyBody): Promise<Company>;
  };
  products: {
    all(filter?: { search?: string; vendorName?: string }): Promise<Product[]>;
    get(id: string): Promise<Product>;
    pricing(id: string, companyId?: string): Promise<Pricing[]>;
  };
  subscriptions: {
    all(filter?: SubscriptionFilter): Promise<Subscription[]>;
    /** Every subscription, each projected as its page arrives: a 40,000-row walk keeps only what is needed. */
    allAs<T>(project: (s: Subscription) => T, filter?: SubscriptionFilter): Promise<T[]>;
    get(id: string): Promise<Subscription>;
    /** Full snapshots, oldest first; the last one is the current state. */
    history(id: string): Promise<Subscription[]>;
    update(id: string, body: SubscriptionUpdate): Promise<Subscription>;
    /**
     * cancelDate: an ISO date-time or 'YYYY-MM-DD'; future dates give PendingCancel. A retry that finds the
     * subscription already cancelled after an uncertain attempt (no answer, 5xx) counts as success.
     */
    cancel(id: string, cancelDate: string): Promise<void>;
  };
  orders: {
    /** A company's orders: who ordered each subscription's quantity (the history's "Ordered By"). */
    all(filter: { companyId: string }): Promise<Order[]>;
    create(body: OrderInput, options?: { isMock?: boolean }): Promise<Order>;
  };
  usage: {
    summaries(subscriptionId: string): Promise<UsageSummary[]>;
    lines(summaryId: string, usageDate?: string): Promise<UsageLine[]>;
  };
  invoices: {
    all(filter?: InvoiceFilter): Promise<Invoice[]>;
    items(id: string): Promise<InvoiceItem[]>;
    /** Items not invoiced yet: the current month (0) or the next (1); no arrears charges (Pax8's note). */
    draftItems(monthOffset: 0 | 1, companyId?: string): Promise<InvoiceItem[]>;
    /** draftItems, each projected as its page arrives (80,000 items kept lean, not as parsed). */
    draftItemsAs<T>(project: (i: InvoiceItem) => T, monthOffset: 0 | 1, companyId?: string): Promise<T[]>;
  };
};

const seg = encodeURIComponent;

/**
 * Pax8's 422 for a DELETE of a subscription already PendingCancel or Cancelled. After an attempt whose answer
 * was lost (or a 5xx), it means that attempt cancelled it: the retry succeeded. On a first attempt it stays
 * an error (someone else cancelled it).
 */
export const alreadyCancelled = (status: number, message: string | undefined): boolean =>
  status === 422 && message !== undefined && /already\s+(pending\s*cancel|cancell?ed)/i.test(message);

export function createPax8Client(opts: Pax8ClientOptions): Pax8Client {
  const t = createTransport({
    baseURL: opts.baseURL,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    fetch: countedFetch('pax8', opts.fetch ?? globalThis.fetch),
    now: opts.now ?? (() => new Date()),
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    retries: opts.retries ?? 3,
    timeoutMs: opts.timeoutMs ?? 30_000,
  });

  return {
    async checkCredentials() {
      await t.token();
    },
    companies: {
      all: () => collectAll(t, '/companies', CompanySchema),
      get: (id) => t.request('GET', `/companies/${seg(id)}`, CompanySchema),
      create: (body) => t.request('POST', '/companies', CompanySchema, { body }),
    },
    products: {
      all: (filter = {}) => collectAll(t, '/products', ProductSchema, { ...filter }),
      get: (id) => t.request('GET', `/products/${seg(id)}`, ProductSchema),
      pricing: async (id, companyId) =>
        (
          await t.request('GET', `/products/${seg(id)}/pricing`, contentOf(PricingSchema), {
            query: { companyId },
          })
        ).content,
    },
    subscriptions: {
      all: (filter = {}) => collectAll(t, '/subscriptions', SubscriptionSchema, { ...filter }),
      allAs: (project, filter = {}) =>
        collectAll(t, '/subscriptions', SubscriptionSchema, { ...filter }, project),
      get: (id) => t.request('GET', `/subscriptions/${seg(id)}`, SubscriptionSchema),
      history: async (id) =>
        (await t.request('GET', `/subscriptions/${seg(id)}/history`, contentOf(SubscriptionSchema))).content,
      update: (id, body) => t.request('PUT', `/subscriptions/${seg(id)}`, SubscriptionSchema, { body }),
      cancel: (id, cancelDate) =>
        t.requestEmpty('DELETE', `/subscriptions/${seg(id)}`, {
          query: { cancelDate },
          acceptAfterUncertain: alreadyCancelled,
        }),
    },
    orders: {
      all: (filter) => collectAll(t, '/orders', OrderSchema, { ...filter }),
      create: (body, options = {}) =>
        t.request('POST', '/orders', OrderSchema, {
          body,
          query: { isMock: options.isMock ? true : undefined },
        }),
    },
    usage: {
      summaries: (subscriptionId) =>
        collectAll(t, `/subscriptions/${seg(subscriptionId)}/usage-summaries`, UsageSummarySchema),
      lines: (summaryId, usageDate) =>
        collectAll(t, `/usage-summaries/${seg(summaryId)}/usage-lines`, UsageLineSchema, { usageDate }),
    },
    invoices: {
      all: (filter = {}) => collectAll(t, '/invoices', InvoiceSchema, { ...filter }),
      items: (id) => collectAll(t, `/invoices/${seg(id)}/items`, InvoiceItemSchema),
      draftItems: (monthOffset, companyId) =>
        collectAll(t, '/invoices/draftItems', InvoiceItemSchema, { monthOffset, companyId }),
      draftItemsAs: (project, monthOffset, companyId) =>
        collectAll(t, '/invoices/draftItems', InvoiceItemSchema, { monthOffset, companyId }, project),
    },
  };
}
