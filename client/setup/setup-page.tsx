// The /setup page: a plain ConnectWise-like form. Test the connection, save, then create the tab.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Region, SetupForm, SetupModel } from './model.ts';

type TextField = Exclude<keyof SetupForm, 'region'>;

const regions: { value: Region; label: string }[] = [
  { value: 'na', label: 'North America (ConnectWise hosted)' },
  { value: 'eu', label: 'Europe (ConnectWise hosted)' },
  { value: 'au', label: 'Australia (ConnectWise hosted)' },
  { value: 'self-hosted', label: 'Self-hosted' },
];

const errorKey: Partial<Record<TextField, string>> = {
  pax8ClientId: 'pax8.clientId',
  pax8ClientSecret: 'pax8.clientSecret',
};

function Field(props: {
  model: SetupModel;
  name: TextField;
  label: string;
  secret?: boolean;
  hint?: string;
}) {
  const { model, name, label } = props;
  const id = `f-${name}`;
  const err = model.fieldErrors.value[errorKey[name] ?? name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={props.secret ? 'password' : 'text'}
        autocomplete="off"
        spellcheck={false}
        value={model.form.value[name]}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={err ? `${id}-err` : undefined}
        onInput={(e) => model.set(name, (e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && <small>{props.hint}</small>}
      {err && (
        <span class="err" id={`${id}-err`} role="alert">
          {err}
        </span>
      )}
    </div>
  );
}

export function SetupPage({ model }: { model: SetupModel }) {
  const f = model.form.value;
  const r = model.result.value;
  const busy = model.busy.value;
  const onSubmit = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    void model.save();
  };
  const formRef = useRef<HTMLFormElement>(null);
  const errors = model.fieldErrors.value;
  // Keyboard users land on the first field to fix.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const regionChoices = model.sandbox.value
    ? [...regions, { value: 'sandbox' as const, label: 'Sandbox' }]
    : regions;
  return (
    <main>
      <h1>Connect ConnectWise Manage and Pax8</h1>
      {r?.saved && (
        <p class="success" role="status">
          Connected: the settings for {r.tenant?.name ?? f.companyId} were saved.
        </p>
      )}
      {model.error.value && (
        <p class="failure" role="alert">
          {model.error.value}
        </p>
      )}
      {model.sandbox.value && (
        <p>
          <button type="button" onClick={() => model.fillSandbox()}>
            Fill with sandbox credentials
          </button>
        </p>
      )}
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>ConnectWise</legend>
          <Field model={model} name="companyId" label="Company ID" />
          <Field model={model} name="publicKey" label="Public key" />
          <Field model={model} name="privateKey" label="Private key" secret />
          <Field model={model} name="clientId" label="Client ID" hint="From developer.connectwise.com" />
          <div class="field">
            <label for="f-region">Region</label>
            <select
              id="f-region"
              name="region"
              value={f.region}
              onChange={(e) => model.set('region', (e.currentTarget as HTMLSelectElement).value as Region)}
            >
              {regionChoices.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          {(f.region === 'self-hosted' || f.region === 'sandbox') && (
            <Field model={model} name="siteUrl" label="Site URL" hint="Including https://" />
          )}
        </fieldset>
        <fieldset>
          <legend>Pax8</legend>
          <Field model={model} name="pax8ClientId" label="Pax8 client ID" />
          <Field model={model} name="pax8ClientSecret" label="Pax8 client secret" secret />
        </fieldset>
        <p>
          <button type="button" disabled={busy !== null} onClick={() => void model.test()}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>{' '}
          <button type="submit" disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </p>
      </form>
      {r && (
        <section aria-label="Connection test">
          <h2>Connection test</h2>
          {r.notes.length > 0 && (
            <ul class="notes">
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          <ul class="checks">
            {r.checks.map((c) => (
              <li key={c.id} class={c.ok ? 'ok' : 'bad'}>
                {c.ok ? '✔' : '✘'} {c.label}: {c.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {model.saved.value && (
        <p>
          <button type="button" disabled={busy !== null} onClick={() => void model.register()}>
            {busy === 'register' ? 'Creating…' : 'Create Tab in ConnectWise'}
          </button>
        </p>
      )}
      {model.registered.value && (
        <section aria-label="Registration">
          <p class="success" role="status">
            The Pax8 tab, pods and Companies menu entry are registered. Log out and back in to ConnectWise to
            see them.
          </p>
          <ul>
            {(model.report.value ?? []).map((row) => (
              <li key={`${row.kind}-${row.label}-${row.id ?? ''}`}>
                {row.action}: {row.label}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
