// The table types of the store: snake_case columns, ISO-8601 text timestamps, JSON and money as text.
import type { Generated, Kysely } from 'kysely';

export type TenantsTable = {
  id: string;
  name: string;
  cw_site: string;
  /** As entered (shown back to the user). */
  cw_company_id: string;
  /** lower(cw_company_id): ConnectWise company ids are case-insensitive; unique with cw_site. */
  cw_company_key: string;
  cw_region: string;
  cw_api_base_url: string | null;
  cw_client_id: string;
  cw_public_key: string;
  /** SecretBox "v1:…" text. */
  cw_private_key: string;
  pax8_client_id: string;
  /** SecretBox "v1:…" text. */
  pax8_client_secret: string;
  pax8_api_base_url: string | null;
  settings: string;
  created_at: string;
  updated_at: string;
  /** Public, unguessable key naming the tenant in the registered pod URL (migration 0002 backfills it). */
  tenant_key: string;
  /** Sandbox tenants only: the instance id of the sandbox process that created the row. */
  sandbox_owner: string | null;
};

export type CompanyBindingsTable = {
  tenant_id: string;
  cw_company_id: number;
  pax8_company_id: string;
  created_by: string;
  created_at: string;
};

export type ProductBindingsTable = {
  tenant_id: string;
  pax8_product_id: string;
  billing_term: string;
  cw_catalog_id: number;
  cw_identifier: string;
  price: string | null;
  markup_percent: string | null;
  /** 1: usage billed in arrears (migration 0008). */
  usage: number;
  updated_at: string;
  /** 'Billable' | 'DoNotBill' | 'NoCharge'; null = the tenant's default (migration 0007). */
  bill_customer: string | null;
  /** 1 / 0; null = the catalog item's (or the tenant's) default (migration 0007). */
  taxable: number | null;
};

export type CompanyCreationsTable = {
  tenant_id: string;
  cw_company_id: number;
  /** pending: claimed, Pax8 not called; sent: called, answer not known yet; done; failed (Pax8 refused it). */
  state: string;
  pax8_company_id: string | null;
  request: string;
  error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
};

export type PlansTable = {
  id: string;
  tenant_id: string;
  member_id: string;
  subscription_id: string;
  agreement_id: number;
  body: string;
  created_at: string;
  expires_at: string;
};

export type JournalTable = {
  id: string;
  tenant_id: string;
  plan_id: string;
  idempotency_key: string;
  subscription_id: string;
  agreement_id: number;
  kind: string;
  action: string;
  state: string;
  cw_addition_id: number | null;
  request: string;
  response: string | null;
  change_key: string | null;
  created_at: string;
  updated_at: string;
  /** When the write was sent (markSent); null for rows sent before migration 0002. */
  sent_at: string | null;
};

export type LocksTable = {
  tenant_id: string;
  key: string;
  owner: string;
  expires_at: string;
};

export type IgnoredSubscriptionsTable = {
  tenant_id: string;
  subscription_id: string;
  reason: string;
  ignored_by: string;
  ignored_at: string;
};

export type PriceOverridesTable = {
  tenant_id: string;
  subscription_id: string;
  unit_price: string;
  pax8_price: string;
  chosen_by: string;
  updated_at: string;
};

export type AuditLogTable = {
  id: Generated<number>;
  tenant_id: string;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  at: string;
};

/** Sign-in and setup attempts per limiter key (a client IP, a member at an IP): see http/rate-limit.ts. */
export type AttemptsTable = {
  /** Insertion order: an attempt is judged against the attempts that started before it. */
  seq: Generated<number>;
  key: string;
  /** 'running' from the start until it fails ('failed') or is forgotten (deleted). */
  state: string;
  at: string;
};

export type BulkPlansTable = {
  id: string;
  tenant_id: string;
  member_id: string;
  /** 'apply' (a combined review of many plans) or 'undo' (what reversing a job writes). */
  kind: string;
  body: string;
  created_at: string;
  expires_at: string;
};

export type BulkJobsTable = {
  id: string;
  tenant_id: string;
  kind: string;
  /** What the job was made from ('plan:<bulk plan id>', 'single:<plan id>'): unique, so a re-confirm finds it. */
  source: string;
  member_id: string;
  member_name: string;
  /** 'queued' | 'running' | 'done'. */
  state: string;
  total: number;
  lease_owner: string | null;
  lease_until: string | null;
  /** Counts the changes of its items: an item changed takes the next number (0015). */
  rev: Generated<number>;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};

export type BulkItemsTable = {
  job_id: string;
  seq: number;
  tenant_id: string;
  /** 'pending' | 'waiting' | 'done' | 'failed'. */
  state: string;
  not_before: string | null;
  attempts: number;
  payload: string;
  result: string | null;
  error: string | null;
  updated_at: string;
  /** Its job's counter at its last change (0 as made): a poll asks for items above the rev it last saw. */
  rev: Generated<number>;
};

/** The reconciliation board kept per tenant (server/board/): when it was computed and what it checked. */
export type BoardSnapshotsTable = {
  tenant_id: string;
  /** The last full recompute; refreshed_at: the last change of any company's rows (a full one or a refresh). */
  computed_at: string;
  refreshed_at: string;
  /** Pax8 subscriptions and companies read (bound or not). */
  subscriptions: number;
  companies: number;
};

/** The board's rows of one bound Pax8 company (JSON), replaced whole by a refresh of that company. */
export type BoardCompaniesTable = {
  tenant_id: string;
  pax8_company_id: string;
  /** Pax8 subscriptions of the company read at its last refresh. */
  subscriptions: number;
  rows: string;
  computed_at: string;
};

/** A scheduled sync's run: unique per tenant and due instant (the claim), with what it did. */
export type ScheduleRunsTable = {
  id: string;
  tenant_id: string;
  slot: string;
  /** 'running' | 'done' | 'failed'. */
  state: string;
  owner: string;
  job_id: string | null;
  summary: string | null;
  started_at: string;
  finished_at: string | null;
};

/** A line a scheduled run left for a person, with its money (the bulk review's line, JSON) and why. */
export type ScheduleTodosTable = {
  id: string;
  tenant_id: string;
  run_id: string;
  subscription_id: string;
  agreement_id: number;
  line: string;
  reason: string;
  /** 'open' | 'dismissed' | 'approved' | 'superseded' (a later run filed its own list). */
  state: string;
  created_at: string;
  updated_at: string;
};

export type MigrationsTable = {
  name: string;
  applied_at: string;
};

export type SeatChangesTable = {
  id: string;
  tenant_id: string;
  idempotency_key: string;
  subscription_id: string;
  action: string;
  from_quantity: number;
  to_quantity: number;
  waive_prorate: number;
  state: string;
  member_id: string;
  member_name: string;
  change_key: string | null;
  response: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
};

export type Schema = {
  tenants: TenantsTable;
  company_bindings: CompanyBindingsTable;
  product_bindings: ProductBindingsTable;
  plans: PlansTable;
  sync_journal: JournalTable;
  locks: LocksTable;
  ignored_subscriptions: IgnoredSubscriptionsTable;
  price_overrides: PriceOverridesTable;
  seat_changes: SeatChangesTable;
  company_creations: CompanyCreationsTable;
  audit_log: AuditLogTable;
  attempts: AttemptsTable;
  bulk_plans: BulkPlansTable;
  bulk_jobs: BulkJobsTable;
  bulk_items: BulkItemsTable;
  board_snapshots: BoardSnapshotsTable;
  board_companies: BoardCompaniesTable;
  schedule_runs: ScheduleRunsTable;
  schedule_todos: ScheduleTodosTable;
  migrations: MigrationsTable;
};

export type Database = Kysely<Schema>;
export type Dialect = 'sqlite' | 'postgres';
