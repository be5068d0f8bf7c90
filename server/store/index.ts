// The store module boundary: open the database, then build the repositories over it.
import { type AuditLog, createAuditLog } from './audit.ts';
import { type BoardStore, createBoardStore } from './board.ts';
import { type BulkJobs, createBulkJobs } from './bulk-jobs.ts';
import { type CompanyBindings, createCompanyBindings } from './company-bindings.ts';
import { type CompanyCreations, createCompanyCreations } from './company-creations.ts';
import { createIgnoredSubscriptions, type IgnoredSubscriptions } from './ignored.ts';
import { createJournal, type Journal } from './journal.ts';
import { createLocks, type Locks } from './locks.ts';
import { createPlans, type Plans } from './plans.ts';
import { createPriceOverrides, type PriceOverrides } from './price-overrides.ts';
import { createProductBindings, type ProductBindings } from './product-bindings.ts';
import { createScheduleRuns, type ScheduleRuns } from './schedule-runs.ts';
import type { Database } from './schema.ts';
import { createSeatChanges, type SeatChanges } from './seat-changes.ts';
import type { SecretBox } from './secret-box.ts';
import { createTenants, type Tenants } from './tenants.ts';

export * from './audit.ts';
export * from './board.ts';
export * from './bulk-jobs.ts';
export * from './company-bindings.ts';
export * from './company-creations.ts';
export * from './ignored.ts';
export * from './journal.ts';
export * from './locks.ts';
export { runMigrations } from './migrations.ts';
export * from './open.ts';
export * from './plans.ts';
export * from './price-overrides.ts';
export * from './product-bindings.ts';
export * from './schedule-runs.ts';
export type { Database, Dialect, Schema } from './schema.ts';
export * from './seat-changes.ts';
export * from './secret-box.ts';
export * from './secret-rotation.ts';
export { normaliseSite } from './site.ts';
export * from './tenant-key.ts';
export * from './tenants.ts';

export type Repositories = {
  tenants: Tenants;
  companyBindings: CompanyBindings;
  companyCreations: CompanyCreations;
  productBindings: ProductBindings;
  plans: Plans;
  journal: Journal;
  locks: Locks;
  ignored: IgnoredSubscriptions;
  priceOverrides: PriceOverrides;
  seatChanges: SeatChanges;
  audit: AuditLog;
  bulkJobs: BulkJobs;
  scheduleRuns: ScheduleRuns;
  board: BoardStore;
};

/** All repositories over one db; `now` is the clock (tests pass a fixed one). */
export function createRepositories(
  db: Database,
  box: SecretBox,
  now: () => Date = () => new Date(),
): Repositories {
  return {
    tenants: createTenants(db, box, now),
    companyBindings: createCompanyBindings(db, now),
    companyCreations: createCompanyCreations(db, now),
    productBindings: createProductBindings(db, now),
    plans: createPlans(db, now),
    journal: createJournal(db, now),
    locks: createLocks(db),
    ignored: createIgnoredSubscriptions(db, now),
    priceOverrides: createPriceOverrides(db, now),
    seatChanges: createSeatChanges(db, now),
    audit: createAuditLog(db, now),
    bulkJobs: createBulkJobs(db, now),
    scheduleRuns: createScheduleRuns(db, now),
    board: createBoardStore(db),
  };
}
