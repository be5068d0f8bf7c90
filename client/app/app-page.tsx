// The "Pax8" entry under Companies: every bound company, opened on demand into the same record view the pod
// shows (binding, agreements, subscription statuses and the sync wizard), full width.
import { useMemo } from 'preact/hooks';
import { createRecordModels, RecordBody, type RecordViewDeps } from '../pod/views/record-view.tsx';
import type { AppModel } from '../state/app-model.ts';
import { Notice } from '../ui/notice.tsx';

export function AppPage({ model, deps }: { model: AppModel; deps: RecordViewDeps }) {
  const list = model.list.value;
  if (list.status === 'loading') return <Notice tone="progress" title="Loading bound companies…" />;
  if (list.status === 'error') {
    return (
      <Notice
        tone="error"
        title="Could not load the companies"
        action={{ label: 'Retry', onClick: () => void model.load() }}
      >
        <p>{list.message}</p>
      </Notice>
    );
  }
  if (list.companies.length === 0) {
    return (
      <Notice tone="info" title="No bound companies yet">
        <p>Open a company or agreement in ConnectWise and bind it to its Pax8 company from the Pax8 pod.</p>
      </Notice>
    );
  }
  const open = model.open.value;
  return (
    <section aria-labelledby="app-companies">
      <h2 id="app-companies">Bound companies ({list.companies.length})</h2>
      <ul class="app-companies">
        {list.companies.map((c) => {
          const expanded = open.includes(c.cwCompanyId);
          return (
            <li key={c.cwCompanyId}>
              <button
                type="button"
                class="app-toggle"
                aria-expanded={expanded}
                aria-controls={`app-company-${c.cwCompanyId}`}
                onClick={() => model.toggle(c.cwCompanyId)}
              >
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> ConnectWise company #{c.cwCompanyId}
              </button>
              {expanded && (
                <div id={`app-company-${c.cwCompanyId}`} class="app-company">
                  <CompanyPanel deps={deps} id={c.cwCompanyId} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CompanyPanel({ deps, id }: { deps: RecordViewDeps; id: number }) {
  const models = useMemo(() => {
    const m = createRecordModels(deps, 'company', id);
    void m.record.load();
    return m;
  }, [deps, id]);
  return <RecordBody models={models} wide={true} />;
}
