// Bind the record's company to a Pax8 company in place: likely matches first, a filter, and Bind.
import { useState } from 'preact/hooks';
import type { AgreementModel } from '../../state/agreement-model.ts';
import { Notice } from '../../ui/notice.tsx';

export function BindingPanel({ model, companyName }: { model: AgreementModel; companyName: string }) {
  const candidates = model.candidates.value;
  const [chosen, setChosen] = useState('');
  const selected = candidates.some((c) => c.pax8CompanyId === chosen)
    ? chosen
    : (candidates[0]?.pax8CompanyId ?? '');
  const bind = model.bind.value;
  return (
    <section class="pv-panel" aria-labelledby="pv-bind-title">
      <h3 id="pv-bind-title">Bind Pax8 company</h3>
      <p class="pv-muted">{companyName} is not bound to a Pax8 company yet.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (selected) void model.bindCompany(selected);
        }}
      >
        <label class="pv-field">
          <span>Search Pax8 companies</span>
          <input
            type="search"
            class="cw-input"
            value={model.candidateSearch.value}
            onInput={(e) => model.setCandidateSearch(e.currentTarget.value)}
          />
        </label>
        <label class="pv-field">
          <span>Pax8 company</span>
          <select
            class="cw-input"
            value={selected}
            onChange={(e) => setChosen(e.currentTarget.value)}
            disabled={candidates.length === 0}
          >
            {candidates.map((c) => (
              <option key={c.pax8CompanyId} value={c.pax8CompanyId}>
                {c.name} ({Math.round(c.score * 100)}% match)
              </option>
            ))}
          </select>
        </label>
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
    </section>
  );
}
