// Companies: every ConnectWise company beside its Pax8 company, or its likely matches to bind in place.
import type { CompanyFilter } from '../state/app-companies-model.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import type { CompanyRow } from '../state/app-schemas.ts';
import { LoadNotice, type Unready } from '../ui/load-notice.tsx';
import { FilterBar, FilterSelect, FindBox } from './filter-bar.tsx';
import { OpenInConnectWise } from './open-in-connectwise.tsx';
import { PagedTable } from './paged-table.tsx';

const filters: readonly (readonly [CompanyFilter, string])[] = [
  ['all', 'All'],
  ['bound', 'Bound'],
  ['unbound', 'Not bound'],
];

function Pax8Cell({ root, row }: { root: AppRoot; row: CompanyRow }) {
  const { companies } = root;
  const id = row.cwCompany.id;
  const busy = companies.binding.value.has(id);
  const error = companies.errors.value.get(id);
  if (row.pax8Company) return <span>{row.pax8Company.name}</span>;
  return (
    <div>
      {row.candidates.length === 0 ? (
        <span class="app-muted">No likely match in Pax8</span>
      ) : (
        <ul class="app-candidates" aria-label={`Likely Pax8 matches for ${row.cwCompany.name}`}>
          {row.candidates.map((c) => (
            <li key={c.pax8CompanyId}>
              <button
                type="button"
                class="cw-button"
                disabled={busy}
                aria-label={`Bind ${row.cwCompany.name} to ${c.name}`}
                onClick={() => void companies.bind(id, c.pax8CompanyId)}
              >
                Bind
              </button>{' '}
              {c.name} <span class="app-muted">({Math.round(c.score * 100)}% match)</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="app-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Until the companies load (the Subscriptions section waits on the same list). */
export function CompaniesNotice({ root, state }: { root: AppRoot; state: Unready }) {
  return (
    <LoadNotice
      state={state}
      loading="Loading companies…"
      failed="Could not load the companies"
      retry={() => root.companies.load()}
    />
  );
}

export function CompaniesSection({ root }: { root: AppRoot }) {
  const { companies } = root;
  const state = companies.state.value;
  if (state.status !== 'ready') return <CompaniesNotice root={root} state={state} />;
  return (
    <div class="app-companies-section">
      <p class="app-hint">
        {state.companies.length} ConnectWise companies, {companies.bound.value.length} bound to one of{' '}
        {state.pax8Companies} Pax8 companies.
      </p>
      <FilterBar shown={`${companies.matching.value} shown`}>
        <FilterSelect
          label="Show"
          value={companies.filter.value}
          options={filters}
          onChange={(f) => companies.setFilter(f)}
        />
        <FindBox
          value={companies.search.value}
          placeholder="Company name"
          onInput={(t) => companies.setSearch(t)}
        />
      </FilterBar>
      <PagedTable
        paging={companies.paging}
        caption="Companies and their Pax8 companies"
        pagerLabel="Companies"
        columns={['Company', 'Identifier', 'Pax8 company', 'Action(s)']}
        empty="No company matches."
        row={(row) => (
          <tr key={row.cwCompany.id}>
            <th scope="row" class="app-rowhead">
              {row.cwCompany.name}
            </th>
            <td>{row.cwCompany.identifier}</td>
            <td>
              <Pax8Cell root={root} row={row} />
            </td>
            <td>
              <div class="app-actions">
                {row.pax8Company && (
                  <button
                    type="button"
                    class="cw-button"
                    aria-label={`Subscriptions of ${row.cwCompany.name}`}
                    onClick={() => root.nav.showSubscriptions(row.cwCompany.id)}
                  >
                    Subscriptions
                  </button>
                )}
                <OpenInConnectWise root={root} id={row.cwCompany.id} name={row.cwCompany.name} />
              </div>
            </td>
          </tr>
        )}
      />
    </div>
  );
}
