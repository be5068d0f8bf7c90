// The ordered schema migrations, run at open inside one transaction (PostgreSQL: under an advisory lock,
// so several processes starting at once apply each migration exactly once).
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './schema.ts';
import { newTenantKey } from './tenant-key.ts';

type Migration = {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema, they cannot be typed by it
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
};

/** PostgreSQL advisory lock key held while the schema is created or migrated. */
export const MIGRATION_LOCK_ID = 7_311_204_611;

export const migrations: readonly Migration[] = [
  {
    name: '0001_initial',
    async up(db, dialect) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('cw_site', 'text', (c) => c.notNull())
        .addColumn('cw_company_id', 'text', (c) => c.notNull())
        .addColumn('cw_company_key', 'text', (c) => c.notNull())
        .addColumn('cw_region', 'text', (c) => c.notNull())
        .addColumn('cw_api_base_url', 'text')
        .addColumn('cw_client_id', 'text', (c) => c.notNull())
        .addColumn('cw_public_key', 'text', (c) => c.notNull())
        .addColumn('cw_private_key', 'text', (c) => c.notNull())
        .addColumn('pax8_client_id', 'text', (c) => c.notNull())
        .addColumn('pax8_client_secret', 'text', (c) => c.notNull())
        .addColumn('pax8_api_base_url', 'text')
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('tenants_site_company_uq', ['cw_site', 'cw_company_key'])
        .execute();

      await db.schema
        .createTable('company_bindings')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('cw_company_id', 'integer', (c) => c.notNull())
        .addColumn('pax8_company_id', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('company_bindings_pk', ['tenant_id', 'cw_company_id'])
        .addUniqueConstraint('company_bindings_pax8_uq', ['tenant_id', 'pax8_company_id'])
        .execute();

      await db.schema
        .createTable('product_bindings')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('pax8_product_id', 'text', (c) => c.notNull())
        .addColumn('billing_term', 'text', (c) => c.notNull())
        .addColumn('cw_catalog_id', 'integer', (c) => c.notNull())
        .addColumn('cw_identifier', 'text', (c) => c.notNull())
        .addColumn('price', 'text')
        .addColumn('markup_percent', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('product_bindings_pk', ['tenant_id', 'pax8_product_id', 'billing_term'])
        .execute();

      await db.schema
        .createTable('plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('agreement_id', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('plans_expires_idx').on('plans').column('expires_at').execute();

      await db.schema
        .createTable('sync_journal')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('agreement_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('cw_addition_id', 'integer')
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('change_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('sync_journal_key_uq', ['tenant_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createIndex('sync_journal_subscription_idx')
        .on('sync_journal')
        .columns(['tenant_id', 'subscription_id'])
        .execute();

      await db.schema
        .createTable('locks')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('locks_pk', ['tenant_id', 'key'])
        .execute();

      await db.schema
        .createTable('ignored_subscriptions')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('ignored_by', 'text', (c) => c.notNull())
        .addColumn('ignored_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ignored_subscriptions_pk', ['tenant_id', 'subscription_id'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_tenant_idx')
        .on('audit_log')
        .columns(['tenant_id', 'target', 'id'])
        .execute();
    },
  },
  {
    // A write whose outcome is unknown (timeout, connection lost, 5xx after sending) is state 'unknown'; the
    // time it was sent decides when it can no longer land (sync/apply.ts, UNKNOWN_OUTCOME_WINDOW_MS).
    // Rows sent before this migration keep sent_at null: their updated_at is their send time.
    name: '0002_journal_sent_at',
    async up(db) {
      await db.schema.alterTable('sync_journal').addColumn('sent_at', 'text').execute();
    },
  },
  {
    // Failed sign-ins and setup tests, shared by every process on the store (cluster mode).
    name: '0003_attempts',
    async up(db, dialect) {
      await db.schema
        .createTable('attempts')
        .addColumn('seq', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attempts_key_idx').on('attempts').columns(['key', 'seq']).execute();
      await db.schema.createIndex('attempts_at_idx').on('attempts').column('at').execute();
    },
  },
  {
    // The public tenant key the registered pod URL carries (backfilled for existing tenants), and the
    // sandbox instance that created a sandbox tenant (null for every other tenant): see runtime.ts.
    name: '0004_tenant_key',
    async up(db) {
      await db.schema.alterTable('tenants').addColumn('tenant_key', 'text').execute();
      await db.schema.alterTable('tenants').addColumn('sandbox_owner', 'text').execute();
      const rows: { id: string }[] = await db.selectFrom('tenants').select('id').execute();
      for (const row of rows) {
        await db
          .updateTable('tenants')
          .set({ tenant_key: newTenantKey() })
          .where('id', '=', row.id)
          .execute();
      }
      await db.schema.createIndex('tenants_key_uq').on('tenants').column('tenant_key').unique().execute();
    },
  },
  {
    // Prices chosen in the wizard, remembered per subscription (spec §7 "price overrides last").
    name: '0005_price_overrides',
    async up(db) {
      await db.schema
        .createTable('price_overrides')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('unit_price', 'text', (c) => c.notNull())
        .addColumn('pax8_price', 'text', (c) => c.notNull())
        .addColumn('chosen_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('price_overrides_pk', ['tenant_id', 'subscription_id'])
        .execute();
    },
  },
  {
    // Upkeep (issue 10): a product binding's default bill option and taxable (null: the tenant's default),
    // and the journal of Create and Bind, one row per ConnectWise company, claimed before Pax8 is called so a
    // retry or a double click never creates a second Pax8 company.
    name: '0007_upkeep',
    async up(db) {
      await db.schema.alterTable('product_bindings').addColumn('bill_customer', 'text').execute();
      await db.schema.alterTable('product_bindings').addColumn('taxable', 'integer').execute();
      await db.schema
        .createTable('company_creations')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('cw_company_id', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('pax8_company_id', 'text')
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('company_creations_pk', ['tenant_id', 'cw_company_id'])
        .execute();
    },
  },
  {
    // A product binding may say its product is usage billed in arrears (Azure), whatever Pax8's pricing
    // looks like (issue 10): 0/1 so SQLite and PostgreSQL read it alike; existing bindings are not usage.
    name: '0008_usage_flag',
    async up(db) {
      await db.schema
        .alterTable('product_bindings')
        .addColumn('usage', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  {
    // Seat changes made from the pod (issue 10 item 3): journaled before Pax8 is called, one row per
    // idempotency key, and the member's "waive prorate" remembered per change (its history change key).
    name: '0009_seat_changes',
    async up(db) {
      await db.schema
        .createTable('seat_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_quantity', 'integer', (c) => c.notNull())
        .addColumn('to_quantity', 'integer', (c) => c.notNull())
        .addColumn('waive_prorate', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('member_name', 'text', (c) => c.notNull())
        .addColumn('change_key', 'text')
        .addColumn('response', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addUniqueConstraint('seat_changes_key_uq', ['tenant_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createIndex('seat_changes_subscription_ix')
        .on('seat_changes')
        .columns(['tenant_id', 'subscription_id'])
        .execute();
    },
  },
  {
    // The reconciliation board kept per tenant (server/board/): served by any process at once, while a
    // recompute runs, and refreshed one bound company at a time.
    name: '0010_board',
    async up(db) {
      await db.schema
        .createTable('board_snapshots')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addColumn('refreshed_at', 'text', (c) => c.notNull())
        .addColumn('subscriptions', 'integer', (c) => c.notNull())
        .addColumn('companies', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('board_companies')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('pax8_company_id', 'text', (c) => c.notNull())
        .addColumn('subscriptions', 'integer', (c) => c.notNull())
        .addColumn('rows', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('board_companies_pk', ['tenant_id', 'pax8_company_id'])
        .execute();
    },
  },
  {
    // Bulk review and apply (issue 11): a combined review kept briefly, the jobs that apply it (or undo one)
    // server-side, and their items with a per-item result. A job's lease lets another process resume it.
    name: '0013_bulk_jobs',
    async up(db) {
      await db.schema
        .createTable('bulk_plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('bulk_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('member_name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addUniqueConstraint('bulk_jobs_source_uq', ['tenant_id', 'source'])
        .execute();
      await db.schema.createIndex('bulk_jobs_state_idx').on('bulk_jobs').column('state').execute();
      await db.schema
        .createTable('bulk_items')
        .addColumn('job_id', 'text', (c) => c.notNull().references('bulk_jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('not_before', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('bulk_items_pk', ['job_id', 'seq'])
        .execute();
    },
  },
  {
    // Scheduled sync with approvals (issue 11 item 3): one row per tenant and due instant, claimed by a unique
    // key so two processes of a cluster fire a schedule once; and the lines a run left for a person (its to-do
    // list on the board), with their money and why they wait.
    name: '0014_schedule',
    async up(db) {
      await db.schema
        .createTable('schedule_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('slot', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('summary', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addUniqueConstraint('schedule_runs_slot_uq', ['tenant_id', 'slot'])
        .execute();
      await db.schema
        .createTable('schedule_todos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('run_id', 'text', (c) => c.notNull().references('schedule_runs.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('agreement_id', 'integer', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('schedule_todos_state_ix')
        .on('schedule_todos')
        .columns(['tenant_id', 'state'])
        .execute();
    },
  },
  {
    // A job's poll asks only the items changed since its last one (issue 11): every item change takes the next
    // number of its job's counter, in the same transaction, so a poll's cursor (the counter it read) misses
    // nothing whichever process wrote, and whatever the clocks say.
    name: '0015_bulk_item_revs',
    async up(db) {
      await db.schema
        .alterTable('bulk_jobs')
        .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('bulk_items')
        .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
];

/** Applies the pending migrations; returns the names applied (empty when the schema is current). */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: see Migration
  db: Kysely<any>,
  dialect: Dialect,
  now: () => Date = () => new Date(),
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
    await trx.schema
      .createTable('migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = new Set(
      (await trx.selectFrom('migrations').select('name').execute()).map((r: { name: string }) => r.name),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await m.up(trx, dialect);
      await trx.insertInto('migrations').values({ name: m.name, applied_at: now().toISOString() }).execute();
      applied.push(m.name);
    }
    return applied;
  });
}
