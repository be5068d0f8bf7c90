// Bind the record's company to a Pax8 company in place: likely matches first, a filter, and Bind.
import { useState } from 'preact/hooks';
import type { AgreementModel } from '../../state/agreement-model.ts';
import type { CreateCompanyModel } from '../../state/create-company-model.ts';
import { Notice } from '../../ui/notice.tsx';
import { CreateCompanyForm } from './create-company-form.tsx';
import { SelectField, TextField } from './fields.tsx';

export function BindingPanel({
  model,
  company,
  create,
  notBound,
}: {
  model: AgreementModel;
  company: { id: number; name: string };
  create: CreateCompanyModel;
  /** The view's company_not_bound warning, as the server words it. */
  notBound?: string | undefined;
}) {
  const candidates = model.candidates.value;
  const [chosen, setChosen] = useState('');
  const selected = candidates.some((c) => c.pax8CompanyId === chosen)
    ? chosen
    : (candidates[0]?.pax8CompanyId ?? '');
  const bind = model.bind.value;
  return (
    <section class="pv-panel" aria-labelledby="pv-bind-title">
      <h3 id="pv-bind-title">Bind Pax8 company</h3>
      {notBound && <p class="pv-muted">{notBound}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (selected) void model.bindCompany(selected);
        }}
      >
        <TextField
          label="Search Pax8 companies"
          type="search"
          value={model.candidateSearch.value}
          onInput={(e) => model.setCandidateSearch(e.currentTarget.value)}
        />
        <SelectField
          label="Pax8 company"
          value={selected}
          options={candidates.map(
            (c) => [c.pax8CompanyId, `${c.name} (${Math.round(c.score * 100)}% match)`] as const,
          )}
          onChange={setChosen}
          disabled={candidates.length === 0}
        />
        {candidates.length === 0 && (
          <p class="pv-muted">No Pax8 company found. Type part of its name to search all Pax8 companies.</p>
        )}
        <button type="submit" class="cw-button primary" disabled={!selected || bind.status === 'binding'}>
          {bind.status === 'binding' ? 'Binding…' : 'Bind'}
        </button>
      </form>
      {bind.status === 'error' && (
        <Notice tone="error" title="Not bound">
          <p>{bind.message}</p>
        </Notice>
      )}
      {create.state.value.status === 'closed' ? (
        <p class="pv-create-offer">
          Not in Pax8 yet?{' '}
          <button type="button" class="cw-button" onClick={() => void create.open(company.id)}>
            Create in Pax8 and bind…
          </button>
        </p>
      ) : (
        <CreateCompanyForm model={create} />
      )}
    </section>
  );
}
