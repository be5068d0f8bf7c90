// The app's Settings section: the tenant's connection as configured (never a secret), the billing defaults
// form (saved with PATCH /api/setup/settings) and registering the pods and tab in ConnectWise again.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import * as v from 'valibot';
import type { Api } from './api.ts';

export const BillingSettingsSchema = v.object({
  threshold: v.boolean(),
  countChangeDay: v.boolean(),
  updateOrCreate: v.picklist(['update', 'create']),
  /** Invoiced months back-billed by default (spec §7); an older server without it means the default, 3. */
  lookbackMonths: v.optional(v.number(), 3),
  /** New lines whose product binding names none (issue 10 upkeep); an older server: spec §1's defaults. */
  defaultBillCustomer: v.optional(v.picklist(['Billable', 'DoNotBill', 'NoCharge']), 'Billable'),
  defaultTaxable: v.optional(v.picklist(['catalog', 'yes', 'no']), 'catalog'),
});
export type BillingSettings = v.InferOutput<typeof BillingSettingsSchema>;

/** GET /api/setup: the non-secret view of the tenant. */
export const TenantViewSchema = v.object({
  id: v.string(),
  name: v.string(),
  cwSite: v.string(),
  cwCompanyId: v.string(),
  cwRegion: v.string(),
  cwApiBaseUrl: v.nullable(v.string()),
  cwClientId: v.string(),
  cwPublicKey: v.string(),
  privateKeySet: v.boolean(),
  pax8ClientId: v.string(),
  pax8ClientSecretSet: v.boolean(),
  pax8ApiBaseUrl: v.nullable(v.string()),
  settings: BillingSettingsSchema,
  updatedAt: v.string(),
});
export type TenantView = v.InferOutput<typeof TenantViewSchema>;

export const RegisterRowSchema = v.object({
  kind: v.string(),
  action: v.string(),
  label: v.string(),
  id: v.optional(v.number()),
  applied: v.boolean(),
});
export type RegisterRow = v.InferOutput<typeof RegisterRowSchema>;
export const RegisterReportSchema = v.object({ rows: v.array(RegisterRowSchema) });

export type Loaded =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; tenant: TenantView }
  | { status: 'failed'; message: string };
export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; message: string }
  | { status: 'failed'; message: string };
export type RegisterState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; rows: RegisterRow[]; message: string }
  | { status: 'failed'; message: string };

export type SettingsModel = {
  loaded: ReadonlySignal<Loaded>;
  /** The form's values: the saved settings until the user changes one. */
  draft: ReadonlySignal<BillingSettings>;
  /** True when the form differs from what the server holds. */
  dirty: ReadonlySignal<boolean>;
  save: ReadonlySignal<SaveState>;
  registration: ReadonlySignal<RegisterState>;
  load(): Promise<void>;
  set<K extends keyof BillingSettings>(key: K, value: BillingSettings[K]): void;
  submit(): Promise<void>;
  register(): Promise<void>;
};

const defaults: BillingSettings = {
  threshold: true,
  countChangeDay: false,
  updateOrCreate: 'update',
  lookbackMonths: 3,
  defaultBillCustomer: 'Billable',
  defaultTaxable: 'catalog',
};
const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Unexpected error');

export function createSettingsModel({ api }: { api: Api }): SettingsModel {
  const loaded = signal<Loaded>({ status: 'idle' });
  const draft = signal<BillingSettings>({ ...defaults });
  const save = signal<SaveState>({ status: 'idle' });
  const registration = signal<RegisterState>({ status: 'idle' });
  const dirty = computed(() => {
    const l = loaded.value;
    if (l.status !== 'ready') return false;
    const s = l.tenant.settings;
    const d = draft.value;
    return (
      s.threshold !== d.threshold ||
      s.countChangeDay !== d.countChangeDay ||
      s.updateOrCreate !== d.updateOrCreate ||
      s.lookbackMonths !== d.lookbackMonths ||
      s.defaultBillCustomer !== d.defaultBillCustomer ||
      s.defaultTaxable !== d.defaultTaxable
    );
  });

  return {
    loaded,
    draft,
    dirty,
    save,
    registration,
    async load() {
      loaded.value = { status: 'loading' };
      try {
        const tenant = await api.get('/api/setup', TenantViewSchema);
        loaded.value = { status: 'ready', tenant };
        draft.value = { ...tenant.settings };
      } catch (e) {
        loaded.value = { status: 'failed', message: messageOf(e) };
      }
    },
    set(key, value) {
      draft.value = { ...draft.value, [key]: value };
      // A stale "Saved" next to a changed form would mislead.
      if (save.value.status !== 'saving') save.value = { status: 'idle' };
    },
    async submit() {
      if (save.value.status === 'saving') return;
      save.value = { status: 'saving' };
      try {
        const settings = await api.request('PATCH', '/api/setup/settings', {
          body: draft.value,
          schema: BillingSettingsSchema,
        });
        const l = loaded.value;
        if (l.status === 'ready') loaded.value = { status: 'ready', tenant: { ...l.tenant, settings } };
        draft.value = { ...settings };
        save.value = { status: 'saved', message: 'Saved. Plans made from now on use these defaults.' };
      } catch (e) {
        save.value = { status: 'failed', message: `Not saved: ${messageOf(e)}` };
      }
    },
    async register() {
      if (registration.value.status === 'running') return;
      registration.value = { status: 'running' };
      try {
        const report = await api.post('/api/setup/register', {}, RegisterReportSchema);
        const changed = report.rows.filter((r) => r.action === 'create' || r.action === 'update').length;
        const message =
          changed === 0
            ? 'Nothing to change: the pods and tab were already registered.'
            : `Registered (${changed} ${changed === 1 ? 'change' : 'changes'}). Log out of ConnectWise and back in to see them.`;
        registration.value = { status: 'done', rows: report.rows, message };
      } catch (e) {
        registration.value = { status: 'failed', message: `Not registered: ${messageOf(e)}` };
      }
    },
  };
}
