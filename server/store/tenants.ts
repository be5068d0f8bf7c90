// Tenants: one MSP = one ConnectWise company id on one site, with its upstream credentials (secrets sealed).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Database, TenantsTable } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import { normaliseSite } from './site.ts';
import { isTenantKeyShaped, newTenantKey } from './tenant-key.ts';
import { isUniqueViolation } from './util.ts';

export type CwRegion = 'na' | 'eu' | 'au' | 'staging' | 'self-hosted' | 'sandbox';

export type TenantSettings = {
  /** Threshold prorate: a seat is prorated at most once a month. */
  threshold: boolean;
  /** Count the change day itself as a billed day. */
  countChangeDay: boolean;
  /** On a quantity change, update the recurring addition or create a new one. */
  updateOrCreate: 'update' | 'create';
  /** Sanity limits (spec §9, sync/limits.ts): most seats on one addition; a typed quantity's most × Pax8's. */
  maxQuantity: number;
  maxQuantityMultiple: number;
  /** The highest unit price (or cost) written, in the agreement's currency. */
  maxUnitPrice: number;
  /** Invoiced months whose unbilled seats a plan back-bills by default (spec §7); older ones are warnings. */
  lookbackMonths: number;
  /**
   * The margin floor (issue 11): board lines whose margin after a sync is below this percentage of what they
   * bill are flagged and need an explicit confirmation at apply. Absent or null: no floor.
   */
  marginFloorPercent?: number | null;
  /** Scheduled sync with approvals (issue 11 item 3); absent: off. */
  schedule?: ScheduleSettings;
  /** Bill option of new lines whose product binding names none (spec §1 default: Billable). */
  defaultBillCustomer: 'Billable' | 'DoNotBill' | 'NoCharge';
  /** Taxable of new lines whose product binding names none: the catalog item's flag, or always yes/no. */
  defaultTaxable: 'catalog' | 'yes' | 'no';
};

/** A daily scheduled sync: when (a wall-clock time in an IANA zone) and which lines it may write itself. */
export type ScheduleSettings = {
  enabled: boolean;
  /** HH:MM on the tenant's wall clock. */
  timeOfDay: string;
  /** IANA time zone ('UTC' by default). */
  timeZone: string;
  /** Auto-apply: a recurring quantity update of fewer than this many seats; null: none. */
  recurringSeatsBelow: number | null;
  /** Auto-apply: a new prorate under this many cents; null: none. */
  proratesUnderCents: number | null;
  /** When the schedule was last saved (ISO): a time of day already past then waits for the next day. */
  since: string;
};

export const defaultTenantSettings: TenantSettings = {
  threshold: true,
  countChangeDay: false,
  updateOrCreate: 'update',
  maxQuantity: 100_000,
  maxQuantityMultiple: 10,
  maxUnitPrice: 1_000_000,
  lookbackMonths: 3,
  defaultBillCustomer: 'Billable',
  defaultTaxable: 'catalog',
};

/** The non-secret view: never carries cwPrivateKey or pax8ClientSecret. */
export type Tenant = {
  id: string;
  name: string;
  cwSite: string;
  cwCompanyId: string;
  cwRegion: CwRegion;
  cwApiBaseUrl: string | null;
  cwClientId: string;
  cwPublicKey: string;
  pax8ClientId: string;
  pax8ApiBaseUrl: string | null;
  settings: TenantSettings;
  createdAt: string;
  updatedAt: string;
  /** Public, unguessable: names the tenant in the registered pod URL (`/pod?t=<key>&…`). */
  tenantKey: string;
  /** Sandbox tenants only: the sandbox instance that created the row (null otherwise). */
  sandboxOwner: string | null;
};

export type TenantSecrets = { cwPrivateKey: string; pax8ClientSecret: string };

/**
 * Creates or updates. The row is found by id when given, else by (site, company id). Secrets are required
 * on create; on update an omitted secret keeps the stored one. Settings are merged over the stored ones.
 */
export type TenantInput = {
  id?: string;
  name: string;
  cwSite: string;
  cwCompanyId: string;
  cwRegion: CwRegion;
  cwApiBaseUrl?: string | null;
  cwClientId: string;
  cwPublicKey: string;
  cwPrivateKey?: string;
  pax8ClientId: string;
  pax8ClientSecret?: string;
  pax8ApiBaseUrl?: string | null;
  settings?: Partial<TenantSettings>;
  /** Sandbox only: the instance id of the sandbox process creating the row (kept on update when omitted). */
  sandboxOwner?: string | null;
};

export type Tenants = ReturnType<typeof createTenants>;

/** The additional data a tenant secret is sealed with: its row and field. */
export const sealContext = (id: string, field: 'cwPrivateKey' | 'pax8ClientSecret') =>
  `tenant:${id}:${field}`;

/** How long a process trusts its copy of a tenant and its opened secrets (another process may change them). */
export const TENANT_CACHE_TTL_MS = 5_000;
/** Tenants whose copy a process keeps at most (the oldest copy goes first). */
export const TENANT_CACHE_MAX = 1_000;

export type TenantWithSecrets = { tenant: Tenant; secrets: TenantSecrets };

type CacheEntry = { at: number; value: Promise<TenantWithSecrets | null> };
/** One cache per database handle in this process: every repositories object over it sees every change. */
const tenantCaches = new WeakMap<Database, Map<string, CacheEntry>>();

export function createTenants(
  db: Database,
  box: SecretBox,
  now: () => Date = () => new Date(),
  /** Monotonic milliseconds for the cache's TTL (not the business clock); tests pass their own. */
  monotonicMs: () => number = () => performance.now(),
) {
  const findRow = (id: string) =>
    db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();

  async function get(id: string): Promise<Tenant | null> {
    const row = await findRow(id);
    return row ? toTenant(row) : null;
  }

  async function findBySite(site: string, companyId: string): Promise<Tenant | null> {
    const row = await db
      .selectFrom('tenants')
      .selectAll()
      .where('cw_site', '=', normaliseSite(site))
      .where('cw_company_key', '=', companyId.trim().toLowerCase())
      .executeTakeFirst();
    return row ? toTenant(row) : null;
  }

  /** The tenant the pod URL's key names; null for an unknown or malformed key (no lookup then). */
  async function findByKey(key: string): Promise<Tenant | null> {
    if (!isTenantKeyShaped(key)) return null;
    const row = await db.selectFrom('tenants').selectAll().where('tenant_key', '=', key).executeTakeFirst();
    return row ? toTenant(row) : null;
  }

  async function list(): Promise<Tenant[]> {
    const rows = await db.selectFrom('tenants').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toTenant);
  }

  /** Merges `patch` into the settings only (never the connection fields), in one transaction. */
  async function updateSettings(id: string, patch: Partial<TenantSettings>): Promise<Tenant | null> {
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const settings = { ...defaultTenantSettings, ...readSettings(row.settings) };
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) Object.assign(settings, { [k]: v });
      const updated = await trx
        .updateTable('tenants')
        .set({ settings: JSON.stringify(settings), updated_at: now().toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTenant(updated);
    });
  }

  /** Deletes the tenant and, by cascade, every row of it (bindings, plans, journal, locks, ignore list, audit). */
  async function remove(id: string): Promise<boolean> {
    const result = await db.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async function upsert(input: TenantInput): Promise<Tenant> {
    const site = normaliseSite(input.cwSite);
    const companyId = input.cwCompanyId.trim();
    if (!companyId) throw new AppError('bad_request', 'ConnectWise company id is required');
    const existing = input.id
      ? await findRow(input.id)
      : await db
          .selectFrom('tenants')
          .selectAll()
          .where('cw_site', '=', site)
          .where('cw_company_key', '=', companyId.toLowerCase())
          .executeTakeFirst();
    const id = existing?.id ?? input.id ?? randomUUID();
    const at = now().toISOString();
    const seal = (
      field: 'cwPrivateKey' | 'pax8ClientSecret',
      column: 'cw_private_key' | 'pax8_client_secret',
    ) => {
      const plain = input[field];
      if (plain !== undefined) return box.seal(plain, sealContext(id, field));
      if (existing) return existing[column];
      throw new AppError('bad_request', `${field} is required for a new tenant`);
    };
    const settings = { ...defaultTenantSettings, ...(existing ? readSettings(existing.settings) : {}) };
    for (const [k, v] of Object.entries(input.settings ?? {})) {
      if (v !== undefined) Object.assign(settings, { [k]: v });
    }
    const values = {
      name: input.name,
      cw_site: site,
      cw_company_id: companyId,
      cw_company_key: companyId.toLowerCase(),
      cw_region: input.cwRegion,
      cw_api_base_url:
        input.cwApiBaseUrl !== undefined ? input.cwApiBaseUrl : (existing?.cw_api_base_url ?? null),
      cw_client_id: input.cwClientId,
      cw_public_key: input.cwPublicKey,
      cw_private_key: seal('cwPrivateKey', 'cw_private_key'),
      pax8_client_id: input.pax8ClientId,
      pax8_client_secret: seal('pax8ClientSecret', 'pax8_client_secret'),
      pax8_api_base_url:
        input.pax8ApiBaseUrl !== undefined ? input.pax8ApiBaseUrl : (existing?.pax8_api_base_url ?? null),
      settings: JSON.stringify(settings),
      updated_at: at,
      sandbox_owner:
        input.sandboxOwner !== undefined ? input.sandboxOwner : (existing?.sandbox_owner ?? null),
    };
    try {
      if (existing) await db.updateTable('tenants').set(values).where('id', '=', id).execute();
      else
        await db
          .insertInto('tenants')
          .values({ id, ...values, tenant_key: newTenantKey(), created_at: at })
          .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', `A tenant for ${site} / ${companyId} already exists`, {
          cause: error,
        });
      }
      throw error;
    }
    return (await get(id))!;
  }

  /** Decrypted credentials, for the server-side clients only; null when the tenant does not exist. */
  async function secrets(id: string): Promise<TenantSecrets | null> {
    const row = await db
      .selectFrom('tenants')
      .select(['cw_private_key', 'pax8_client_secret'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      cwPrivateKey: box.open(row.cw_private_key, sealContext(id, 'cwPrivateKey')),
      pax8ClientSecret: box.open(row.pax8_client_secret, sealContext(id, 'pax8ClientSecret')),
    };
  }

  // The per-request read (every API call of a session): the tenant and its opened secrets, kept for
  // TENANT_CACHE_TTL_MS and dropped at once when this process changes or removes the tenant (through any
  // repositories object over the same database handle). Concurrent
  // first reads share one lookup. Callers get their own copies.
  const cache = tenantCaches.get(db) ?? new Map<string, CacheEntry>();
  tenantCaches.set(db, cache);
  const forget = (id: string) => cache.delete(id);

  async function withSecrets(id: string): Promise<TenantWithSecrets | null> {
    const at = monotonicMs();
    let entry = cache.get(id);
    if (!entry || at - entry.at >= TENANT_CACHE_TTL_MS) {
      const value = Promise.all([get(id), secrets(id)]).then(([tenant, opened]) =>
        tenant && opened ? { tenant, secrets: opened } : null,
      );
      entry = { at, value };
      cache.delete(id);
      cache.set(id, entry);
      if (cache.size > TENANT_CACHE_MAX) cache.delete(cache.keys().next().value as string);
      value.catch(() => {
        if (cache.get(id) === entry) cache.delete(id);
      });
    }
    const found = await entry.value;
    return (
      found && {
        tenant: { ...found.tenant, settings: { ...found.tenant.settings } },
        secrets: { ...found.secrets },
      }
    );
  }

  return {
    get,
    findBySite,
    findByKey,
    list,
    async upsert(input: TenantInput): Promise<Tenant> {
      try {
        return await upsert(input);
      } finally {
        // An upsert by site finds its row inside: forget every copy (setup saves are rare).
        cache.clear();
      }
    },
    async updateSettings(id: string, patch: Partial<TenantSettings>): Promise<Tenant | null> {
      try {
        return await updateSettings(id, patch);
      } finally {
        forget(id);
      }
    },
    secrets,
    withSecrets,
    async remove(id: string): Promise<boolean> {
      try {
        return await remove(id);
      } finally {
        forget(id);
      }
    },
  };
}

function readSettings(text: string): Partial<TenantSettings> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<TenantSettings>) : {};
  } catch {
    return {};
  }
}

function toTenant(row: TenantsTable): Tenant {
  return {
    id: row.id,
    name: row.name,
    cwSite: row.cw_site,
    cwCompanyId: row.cw_company_id,
    cwRegion: row.cw_region as CwRegion,
    cwApiBaseUrl: row.cw_api_base_url,
    cwClientId: row.cw_client_id,
    cwPublicKey: row.cw_public_key,
    pax8ClientId: row.pax8_client_id,
    pax8ApiBaseUrl: row.pax8_api_base_url,
    settings: { ...defaultTenantSettings, ...readSettings(row.settings) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    tenantKey: row.tenant_key,
    sandboxOwner: row.sandbox_owner,
  };
}
