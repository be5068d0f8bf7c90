// Subscriptions per company: pick a bound company and see the same company view the pod shows
// (statuses against the agreements, and the sync wizard), loaded only when a company is chosen.
import { useMemo } from 'preact/hooks';
import { createRecordModels, RecordBody, type RecordViewDeps } from '../pod/views/record-view.tsx';
import type { AppRoot } from '../state/app-root-model.ts';
import { Notice } from '../ui/notice.tsx';

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
  if (state.status === 'loading') return <Notice tone="progress" title="Loading companies…" />;
  if (state.status === 'error') {
    return (
      <Notice
        tone="error"
        title="Could not load the companies"
        action={{ label: 'Retry', onClick: () => void root.companies.load() }}
      >
        <p>{state.message}</p>
      </Notice>
    );
  }
  const bound = root.companies.bound.value;
  return (
    <div class="app-subscriptions">
      <div class="app-filters">
        <label>
          Company{' '}
          <select
            class="app-select"
            value={chosen === undefined ? '' : String(chosen)}
            onChange={(e) => {
              const id = Number(e.currentTarget.value);
              root.nav.showSubscriptions(id > 0 ? id : undefined);
            }}
          >
            <option value="">Choose a bound company…</option>
            {bound.map((c) => (
              <option key={c.cwCompany.id} value={String(c.cwCompany.id)}>
                {c.cwCompany.name}
              </option>
            ))}
          </select>
        </label>
        <span class="app-muted">{bound.length} bound companies</span>
      </div>
      {chosen === undefined ? (
        <p class="app-hint">Choose a company to see its Pax8 subscriptions against its agreements.</p>
      ) : (
        <CompanyView key={chosen} deps={deps} id={chosen} />
      )}
    </div>
  );
}
