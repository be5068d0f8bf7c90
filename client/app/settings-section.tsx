// The app's Settings tab: the connection as configured (no secret is ever sent here, only "set ✓"),
// a link to test it again on /setup, the billing defaults, and registering the pods and tab again.
import { useEffect } from 'preact/hooks';
import type { RegisterRow, SettingsModel, TenantView } from '../state/app-settings-model.ts';
import { Notice } from '../ui/notice.tsx';
import { SettingsForm } from './settings-form.tsx';
import './settings-section.css';

const regions: Record<string, string> = {
  na: 'North America',
  eu: 'Europe',
  au: 'Australia',
  staging: 'Staging',
  'self-hosted': 'Self-hosted',
  sandbox: 'Sandbox (this server)',
};

const results: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  unchanged: 'Unchanged',
  remove: 'Removed',
  'missing-screen': 'Missing screen (this ConnectWise does not offer it)',
};

function Connection({ tenant }: { tenant: TenantView }) {
  const set = (yes: boolean) => (yes ? 'set ✓' : 'not set');
  return (
    <section aria-labelledby="settings-connection">
      <h3 id="settings-connection">Connection</h3>
      <dl class="cw-fields app-settings-fields">
        <dt>Company</dt>
        <dd>{tenant.name}</dd>
        <dt>ConnectWise site</dt>
        <dd>{tenant.cwSite}</dd>
        <dt>Company ID</dt>
        <dd>{tenant.cwCompanyId}</dd>
        <dt>Region</dt>
        <dd>{regions[tenant.cwRegion] ?? tenant.cwRegion}</dd>
        <dt>Public key</dt>
        <dd class="app-id">{tenant.cwPublicKey}</dd>
        <dt>Private key</dt>
        <dd>{set(tenant.privateKeySet)}</dd>
        <dt>Client ID</dt>
        <dd class="app-id">{tenant.cwClientId}</dd>
        <dt>Pax8 client ID</dt>
        <dd class="app-id">{tenant.pax8ClientId}</dd>
        <dt>Pax8 client secret</dt>
        <dd>{set(tenant.pax8ClientSecretSet)}</dd>
      </dl>
      <p>
        <a href="/setup" target="_blank" rel="noopener noreferrer">
          Test connection again<span class="sr-only"> (opens the setup page in a new window)</span>
        </a>
        <span class="app-hint"> — change keys or the region there; secrets are never shown.</span>
      </p>
    </section>
  );
}

function Registration({ model }: { model: SettingsModel }) {
  const r = model.registration.value;
  const running = r.status === 'running';
  return (
    <section aria-labelledby="settings-register">
      <h3 id="settings-register">ConnectWise tab and pods</h3>
      <p class="app-hint">
        Creates or updates the Pax8 pods, the agreement tab and the Companies › Pax8 menu entry. Safe to run
        again: what is already right is left unchanged.
      </p>
      <p>
        <button type="button" class="cw-button" disabled={running} onClick={() => void model.register()}>
          {running ? 'Registering…' : 'Register pods and tab in ConnectWise again'}
        </button>
      </p>
      <p
        class={r.status === 'failed' ? 'app-error' : 'app-saved'}
        role="status"
        aria-live="polite"
        aria-atomic="true"
      >
        {r.status === 'done' || r.status === 'failed' ? r.message : ''}
      </p>
      {r.status === 'done' && <ReportTable rows={r.rows} />}
    </section>
  );
}

function ReportTable({ rows }: { rows: RegisterRow[] }) {
  return (
    <table class="app-table app-settings-report">
      <caption class="sr-only">Registration report</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Result</th>
          <th scope="col">ConnectWise id</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.kind}:${row.label}`}>
            <th scope="row" class="app-rowhead">
              {row.label}
            </th>
            <td class={`app-register-${row.action}`}>{results[row.action] ?? row.action}</td>
            <td class="app-id">{row.id ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsSection({ model }: { model: SettingsModel }) {
  useEffect(() => {
    if (model.loaded.peek().status === 'idle') void model.load();
  }, [model]);
  const l = model.loaded.value;
  if (l.status === 'idle' || l.status === 'loading') {
    return <Notice tone="progress" title="Loading settings…" />;
  }
  if (l.status === 'failed') {
    return (
      <Notice
        tone="error"
        title="The settings could not be loaded"
        action={{ label: 'Retry', onClick: () => void model.load() }}
      >
        <p>{l.message}</p>
      </Notice>
    );
  }
  return (
    <div class="app-settings">
      <Connection tenant={l.tenant} />
      <SettingsForm model={model} />
      <Registration model={model} />
    </div>
  );
}
