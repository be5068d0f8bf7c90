// One line per Pax8 subscription: product, quantities Pax8 vs ConnectWise, status badge, and the fixing action.
import type { RecordView } from '../../state/agreement-model.ts';
import type { ViewRow } from '../../state/pod-schemas.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';

// A synced row can still be opened: the wizard shows what is synced and writes nothing twice.
const actionLabels = {
  sync: 'Sync',
  bind_product: 'Bind product',
  bind_company: 'Bind company',
  none: 'Review',
};

export function SubscriptionRows({ view, onSync }: { view: RecordView; onSync: (row: ViewRow) => void }) {
  if (view.rows.length === 0) {
    return <p class="pv-empty">No Pax8 subscriptions for {view.binding?.name ?? view.company.name}.</p>;
  }
  const agreementName = (id: number | null) => view.agreements.find((a) => a.id === id)?.name;
  return (
    <section aria-labelledby="pv-subs-title">
      <h3 id="pv-subs-title" class="pv-h">
        Pax8 subscriptions
      </h3>
      <ul class="pv-rows">
        {view.rows.map((row) => {
          const s = row.subscription;
          const label = actionLabels[row.action];
          return (
            <li key={s.id} class="pv-row" data-subscription={s.id}>
              <div class="pv-row-main">
                <span class="pv-row-name">{s.productName}</span>
                <span class="pv-muted">
                  {s.billingTerm} · Pax8 {s.quantity}
                  {row.addition ? ` · CW ${row.addition.quantity}` : ''}
                  {view.kind === 'company' && row.addition && agreementName(row.agreementId)
                    ? ` · ${agreementName(row.agreementId)}`
                    : ''}
                  {s.status !== 'Active' ? ` · ${s.status}` : ''}
                </span>
              </div>
              <div class="pv-row-side">
                <StatusBadge status={row.status} />
                {label && (
                  <button
                    type="button"
                    class="cw-button small"
                    onClick={() => onSync(row)}
                    aria-label={`${label}: ${s.productName}`}
                  >
                    {label}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
