// The setup page's state: the form fields, the test/save result, and the registration report.
// Talks to /api/setup* through the fetch it is given; components only render and call these methods.
import { computed, signal } from '@preact/signals';

export type Region = 'na' | 'eu' | 'au' | 'self-hosted' | 'sandbox';

export type SetupForm = {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  region: Region;
  siteUrl: string;
  pax8ClientId: string;
  pax8ClientSecret: string;
};

export type Check = { id: string; label: string; ok: boolean; message: string };
export type SetupResult = {
  ok: boolean;
  notes: string[];
  checks: Check[];
  saved?: boolean;
  tenant?: { id: string; name: string };
  token?: string;
};
export type FieldErrors = Partial<Record<string, string>>;
export type ReportRow = { kind: string; action: string; label: string; id?: number; applied: boolean };

type ErrorBody = { error?: { code?: string; message?: string; details?: unknown } };

const emptyForm: SetupForm = {
  companyId: '',
  publicKey: '',
  privateKey: '',
  clientId: '',
  region: 'na',
  siteUrl: '',
  pax8ClientId: '',
  pax8ClientSecret: '',
};

export function createSetupModel(fetchFn: typeof fetch) {
  const form = signal<SetupForm>({ ...emptyForm });
  const busy = signal<'test' | 'save' | 'register' | null>(null);
  const result = signal<SetupResult | null>(null);
  const fieldErrors = signal<FieldErrors>({});
  const error = signal<string | null>(null);
  const sandbox = signal<SetupForm | null>(null);
  const report = signal<ReportRow[] | null>(null);
  const registered = signal(false);
  const saved = computed(() => result.value?.saved === true);

  const body = () => {
    const f = form.value;
    return {
      companyId: f.companyId,
      publicKey: f.publicKey,
      privateKey: f.privateKey,
      clientId: f.clientId,
      region: f.region,
      siteUrl: f.siteUrl,
      pax8: { clientId: f.pax8ClientId, clientSecret: f.pax8ClientSecret },
    };
  };

  async function call(path: string, init: RequestInit): Promise<unknown> {
    const res = await fetchFn(path, init);
    const json = (await res.json().catch(() => ({}))) as unknown;
    if (!res.ok) {
      const e = (json as ErrorBody).error;
      const details = Array.isArray(e?.details) ? (e.details as { path?: string; message?: string }[]) : [];
      const errs: FieldErrors = {};
      for (const d of details) if (d.path && d.message && !errs[d.path]) errs[d.path] = d.message;
      fieldErrors.value = errs;
      throw new Error(e?.message ?? `HTTP ${res.status}`);
    }
    return json;
  }

  async function submit(kind: 'test' | 'save') {
    busy.value = kind;
    error.value = null;
    fieldErrors.value = {};
    result.value = null;
    try {
      const json = await call(kind === 'test' ? '/api/setup/test' : '/api/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body()),
      });
      result.value = json as SetupResult;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      busy.value = null;
    }
  }

  return {
    form,
    busy,
    result,
    fieldErrors,
    error,
    sandbox,
    report,
    registered,
    saved,
    set<K extends keyof SetupForm>(key: K, value: SetupForm[K]) {
      form.value = { ...form.value, [key]: value };
    },
    test: () => submit('test'),
    save: () => submit('save'),
    /** Offers the sandbox credentials when this server runs the sandbox. */
    async detectSandbox() {
      try {
        const res = await fetchFn('/sandbox/credentials');
        if (!res.ok) return;
        const c = (await res.json()) as {
          connectwise: {
            siteUrl: string;
            companyId: string;
            publicKey: string;
            privateKey: string;
            clientId: string;
          };
          pax8: { clientId: string; clientSecret: string };
        };
        sandbox.value = {
          companyId: c.connectwise.companyId,
          publicKey: c.connectwise.publicKey,
          privateKey: c.connectwise.privateKey,
          clientId: c.connectwise.clientId,
          region: 'sandbox',
          siteUrl: c.connectwise.siteUrl,
          pax8ClientId: c.pax8.clientId,
          pax8ClientSecret: c.pax8.clientSecret,
        };
      } catch {
        // No sandbox: the button stays hidden.
      }
    },
    fillSandbox() {
      if (sandbox.value) form.value = { ...sandbox.value };
    },
    async register() {
      const token = result.value?.token;
      busy.value = 'register';
      error.value = null;
      try {
        const json = (await call('/api/setup/register', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: '{}',
        })) as { rows: ReportRow[] };
        report.value = json.rows;
        registered.value = true;
      } catch (e) {
        error.value = e instanceof Error ? e.message : String(e);
      } finally {
        busy.value = null;
      }
    },
  };
}

export type SetupModel = ReturnType<typeof createSetupModel>;
