// Create and Bind (guide "Import Company"): "Create New Pax8 Company" pre-filled from ConnectWise, the primary
// contact for Pax8's order confirmations (new, or an existing ConnectWise contact), and one Create and Bind.
import { useEffect, useRef } from 'preact/hooks';
import type { CreateCompanyModel, FieldKey } from '../../state/create-company-model.ts';
import type { CompanyField, ContactField } from '../../state/create-company-rules.ts';
import { Notice } from '../../ui/notice.tsx';
import { RequiredLegend, SelectField, TextField } from './fields.tsx';

const companyFields: [CompanyField, string, boolean, string?][] = [
  ['name', 'Name', true],
  ['street', 'Address 1', true],
  ['street2', 'Address 2', false],
  ['city', 'City', true],
  ['stateOrProvince', 'State', true],
  ['postalCode', 'Zip code', true],
  ['country', 'Country (2 letters)', true],
  ['phone', 'Phone', true, 'tel'],
  ['website', 'Domain', true, 'url'],
];
const contactFields: [ContactField, string, boolean, string?][] = [
  ['firstName', 'First name', true],
  ['lastName', 'Last name', true],
  ['email', 'Email', true, 'email'],
  ['phone', 'Phone', false, 'tel'],
];

export function CreateCompanyForm({ model }: { model: CreateCompanyModel }) {
  const state = model.state.value;
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (state.status === 'editing') heading.current?.focus();
  }, [state.status === 'editing']);
  if (state.status === 'closed') return null;
  if (state.status === 'loading')
    return <Notice tone="progress" title="Reading the company from ConnectWise…" />;
  if (state.status === 'load-error') {
    return (
      <Notice tone="error" title="Cannot import this company">
        <p>{state.message}</p>
      </Notice>
    );
  }
  if (state.status === 'done')
    return <Notice tone="ok" title={`${state.name} was created in Pax8 and bound`} />;
  const errors = model.errors.value;
  const c = model.company.value;
  const k = model.contact.value;
  const saving = state.status === 'saving';
  const mode = model.contactMode.value;
  const focusFirstError = () => {
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };
  const text = (
    key: FieldKey,
    label: string,
    required: boolean,
    value: string,
    set: (v: string) => void,
    type?: string,
  ) => (
    <TextField
      key={key}
      label={label}
      name={key}
      type={type ?? 'text'}
      required={required}
      value={value}
      error={errors[key]}
      autoComplete="off"
      onInput={(e) => set(e.currentTarget.value)}
      onBlur={() => model.touch(key)}
    />
  );
  return (
    <form
      ref={form}
      class="pv-form pv-grid"
      aria-labelledby="pv-create-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!(await model.submit())) focusFirstError();
      }}
    >
      <h3 id="pv-create-title" class="span2" tabIndex={-1} ref={heading}>
        Create new Pax8 company
      </h3>
      <p class="pv-muted span2">Filled in as ConnectWise has it. Fill in what is missing.</p>
      <RequiredLegend />
      {companyFields.map(([f, label, required, type]) =>
        text(`company.${f}`, label, required, c[f], (v) => model.setCompany(f, v), type),
      )}
      <fieldset class="pv-fieldset span2">
        <legend>Primary contact for Pax8 related communications</legend>
        <p class="pv-muted">Receives the confirmation emails once orders are placed.</p>
        <div class="pv-radios" role="radiogroup" aria-label="Primary contact">
          <label>
            <input
              type="radio"
              name="pv-contact-mode"
              checked={mode === 'new'}
              onChange={() => model.setContactMode('new')}
            />{' '}
            Create new contact
          </label>
          <label>
            <input
              type="radio"
              name="pv-contact-mode"
              checked={mode === 'existing'}
              disabled={model.contacts.value.length === 0}
              onChange={() => model.setContactMode('existing')}
            />{' '}
            Use existing contact
          </label>
        </div>
        {mode === 'new' ? (
          <div class="pv-grid">
            {contactFields.map(([f, label, required, type]) =>
              text(`contact.${f}`, label, required, k[f], (v) => model.setContact(f, v), type),
            )}
          </div>
        ) : (
          <div class="pv-grid">
            <SelectField
              label="Existing contact"
              span="span2"
              required
              value={model.existingContactId.value}
              options={[
                ['', 'select'],
                ...model.contacts.value.map(
                  (x) =>
                    [
                      String(x.cwContactId),
                      x.email ? `${x.name} (${x.email})` : `${x.name} (no email)`,
                    ] as const,
                ),
              ]}
              onChange={(v) => {
                model.setExistingContact(v);
                model.touch('contact.cwContactId');
              }}
            />
            {errors['contact.cwContactId'] && (
              <p class="pv-field-error span2" role="alert">
                {errors['contact.cwContactId']}
              </p>
            )}
          </div>
        )}
      </fieldset>
      {model.message.value && (
        <div class="span2">
          <Notice tone="error" title="Not created">
            <p>{model.message.value}</p>
          </Notice>
        </div>
      )}
      <div class="pv-actions span2">
        <button type="button" class="cw-button" onClick={() => model.close()} disabled={saving}>
          Cancel
        </button>
        <button type="submit" class="cw-button primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create and Bind'}
        </button>
      </div>
    </form>
  );
}
