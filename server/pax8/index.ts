// The Pax8 Partner API client: createPax8Client and the shapes it returns.
export {
  createPax8Client,
  type InvoiceFilter,
  type OrderInput,
  type Pax8Client,
  type Pax8ClientOptions,
  type SubscriptionFilter,
  type SubscriptionUpdate,
} from './client.ts';
export { collectAll, PAGE_SIZE } from './pager.ts';
export type {
  Company,
  Invoice,
  InvoiceItem,
  Order,
  Pricing,
  Product,
  Subscription,
  UsageLine,
  UsageSummary,
} from './schemas.ts';
export { SubscriptionSchema } from './schemas.ts';
export { refreshMarginMs } from './token.ts';
