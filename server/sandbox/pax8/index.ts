// The emulated Pax8 Partner API: the Hono sub-app, its data store and the demo and large data sets.
export type { ProductInput, ProductRecord } from './catalog.ts';
export type { CompanyInput, ContactInput, Pax8Data, SubscriptionInput, SubscriptionRecord } from './data.ts';
export { createPax8Data } from './data.ts';
export { createDemoPax8Data } from './demo-data.ts';
export {
  createPax8Emulator,
  demoPax8Credentials,
  PAX8_AUDIENCE,
  type Pax8EmulatorOptions,
} from './emulator.ts';
export { MAX_PAGE_SIZE } from './http.ts';
export { generateLargePax8Data, largePax8CompanyId } from './large-data.ts';
export type * from './types.ts';
