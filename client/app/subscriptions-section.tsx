// Subscriptions per company: pick a bound company and see the same company view the pod shows
// (statuses against the agreements, and the sync wizard), loaded only when a company is chosen.
import { useMemo } from 'preact/hooks';
import { createRecordModels, RecordBody, type RecordViewDeps } from '../pod/views/record-view.tsx';
import type { AppRoot } from '../state/app-root-model.ts';
import { CompaniesNotice } from './companies-section.tsx';
import { FilterBar, FilterSelect } from './filter-bar.tsx';

function CompanyView({ deps, id }: { deps: RecordViewDeps; id: number }) {
  const models = useMemo(() => {
    const m = createRecordModels(deps, 'company', id);
    void m.record.load();
    return m;
  }, [deps, id]);
  return <RecordBody models={models} wide={true} />;
}

export function SubscriptionsSection({ root, deps }: { root: AppRoot; deps: RecordViewDeps }) {
  const state = root.companies.state.value;
  const chosen = root.nav.company.value;
  if (state.status !== 'ready') return <CompaniesNotice root={root} state={state} />;
  const bound = root.companies.bound.value;
  return (
    <div class="app-subscriptions">
      <FilterBar shown={`${bound.length} bound companies`}>
        <FilterSelect
          label="Company"
          value={chosen === undefined ? '' : String(chosen)}
          options={[
            ['', 'Choose a bound company…'],
            ...bound.map((c) => [String(c.cwCompany.id), c.cwCompany.name] as const),
          ]}
          onChange={(value) => {
            const id = Number(value);
            root.nav.showSubscriptions(id > 0 ? id : undefined);
          }}
        />
      </FilterBar>
      {chosen === undefined ? (
        <p class="app-hint">Choose a company to see its Pax8 subscriptions against its agreements.</p>
      ) : (
        <CompanyView key={chosen} deps={deps} id={chosen} />
      )}
    </div>
  );
}
