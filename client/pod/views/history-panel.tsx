// The subscription's history, as in Pax8's own screen: each quantity change and whether it is covered, by
// which ConnectWise line (the recurring addition, its prorate), or why not.
import { coverageOf } from '../../state/history-model.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { usDate } from '../../ui/format.ts';
import { ScrollBox } from '../../ui/scroll-box.tsx';

export function HistoryPanel({ model }: { model: WizardModel }) {
  const state = model.history.value;
  const plan = model.plan.value;
  return (
    <details
      class="pv-history"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void model.loadHistory();
      }}
    >
      <summary>Subscription history</summary>
      <div aria-live="polite">
        {state.status === 'loading' && <p class="pv-muted">Loading…</p>}
        {state.status === 'error' && <p class="pv-muted">{state.message}</p>}
      </div>
      {state.status === 'ready' && (
        <ScrollBox label="Subscription history">
          <table class="cw-table">
            <thead>
              <tr>
                <th scope="col">Effective Date</th>
                <th scope="col">History Action</th>
                <th scope="col" class="num">
                  Quantity
                </th>
                <th scope="col">Sync Status</th>
              </tr>
            </thead>
            <tbody>
              {state.history.changes.map((c, i) => {
                const delta = c.quantity - c.previousQuantity;
                const coverage = coverageOf(c, plan);
                return (
                  <tr key={`${c.date}-${i}`}>
                    <td>{usDate(c.date)}</td>
                    <td>{i === 0 ? 'Initial Order' : 'Quantity Change'}</td>
                    <td class="num">
                      {c.quantity}
                      {i > 0 ? ` (${delta > 0 ? '+' : ''}${delta})` : ''}
                    </td>
                    <td class="pv-coverage-cell">
                      {coverage.synced ? <span class="pv-synced">SYNCED</span> : 'NOT SYNCED'}
                      <span class="pv-coverage"> · {coverage.detail}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </details>
  );
}
