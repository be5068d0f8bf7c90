// The subscription's history, as in Pax8's own screen (the guide's "Subscription History"): each change with its
// action, quantity, who ordered it, term, renewal and status, and whether it is covered, by which ConnectWise
// addition (a link that opens its agreement), or why not. Wide (the app, a tab) shows every column; the narrow
// pod a one-line summary over a short table.
import {
  ACTION_WORDS,
  type EventCoverage,
  eventCoverage,
  eventsOf,
  type HistoryEvent,
  quantityWords,
} from '../../state/history-model.ts';
import type { History, Plan } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { usDate } from '../../ui/format.ts';
import { ScrollBox } from '../../ui/scroll-box.tsx';

/** A dash on screen, words for a screen reader. */
const Dash = ({ words }: { words: string }) => (
  <>
    <span aria-hidden="true">—</span>
    <span class="sr-only">{words}</span>
  </>
);

type Row = { event: HistoryEvent; coverage: EventCoverage };

const actionOf = (e: HistoryEvent) => ACTION_WORDS[e.action] ?? e.action;

/** "3 changes · 1 not synced · last: Increase 1 → 2 on 09/09/2020". */
export function historySummary(rows: readonly Row[]): string {
  const last = rows.at(-1)?.event;
  if (!last) return 'No changes in Pax8';
  const open = rows.filter((r) => !r.coverage.synced).length;
  const count = `${rows.length} change${rows.length === 1 ? '' : 's'}`;
  const synced = open === 0 ? 'all synced' : `${open} not synced`;
  return `${count} · ${synced} · last: ${actionOf(last)} ${quantityWords(last)} on ${usDate(last.date)}`;
}

function rowsOf(history: History, plan: Plan | undefined, agreementId: number | undefined): Row[] {
  return eventsOf(history).map((event) => ({
    event,
    coverage: eventCoverage(event, history, plan, agreementId),
  }));
}

function SyncStatus({ coverage, withDetail }: { coverage: EventCoverage; withDetail: boolean }) {
  return (
    <>
      {coverage.label ?? (coverage.synced ? <span class="pv-synced">SYNCED</span> : 'NOT SYNCED')}
      {withDetail && <span class="pv-coverage"> · {coverage.detail}</span>}
    </>
  );
}

/** The additions that cover a change: each opens its agreement in ConnectWise when the host can. */
function CoveredBy({ lines, open }: { lines: EventCoverage['lines']; open: WizardModel['openAgreement'] }) {
  if (!lines.length) return <Dash words="none" />;
  return (
    <ul class="pv-lines">
      {lines.map((l) => {
        const label = `${l.kind === 'recurring' ? 'Recurring' : l.kind === 'prorate' ? 'Prorate' : l.kind} #${l.additionId}`;
        const agreementId = l.agreementId;
        return (
          <li key={`${l.kind}-${l.additionId}`}>
            {open && agreementId !== null ? (
              <button
                type="button"
                class="cw-linkbutton"
                aria-label={`Open ${label.toLowerCase()} on agreement #${agreementId} in ConnectWise`}
                onClick={() => open(agreementId)}
              >
                {label}
              </button>
            ) : (
              label
            )}
          </li>
        );
      })}
    </ul>
  );
}

function WideTable({
  rows,
  open,
  orderedBy,
}: {
  rows: readonly Row[];
  open: WizardModel['openAgreement'];
  /** False when Pax8's orders could not be read and no change names anyone: the column is left out. */
  orderedBy: boolean;
}) {
  return (
    <table class="cw-table pv-history-table">
      <caption class="sr-only">Subscription history, oldest change first</caption>
      <thead>
        <tr>
          <th scope="col">Effective Date</th>
          <th scope="col">History Action</th>
          <th scope="col" class="num">
            Quantity
          </th>
          {orderedBy && <th scope="col">Ordered By</th>}
          <th scope="col">Term</th>
          <th scope="col">Renews</th>
          <th scope="col">Subscription Status</th>
          <th scope="col">Sync Status</th>
          <th scope="col">Covered By</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ event: e, coverage }, i) => (
          <tr key={`${e.date}-${e.action}-${i}`}>
            <td>{usDate(e.date)}</td>
            <td>{actionOf(e)}</td>
            <td class="num">{quantityWords(e)}</td>
            {orderedBy && <td>{e.orderedBy ?? <Dash words="not known" />}</td>}
            <td>{e.term}</td>
            <td>{e.renews ? usDate(e.renews) : <Dash words="does not renew" />}</td>
            <td>{e.status}</td>
            <td class="pv-coverage-cell">
              <SyncStatus coverage={coverage} withDetail={!coverage.synced || coverage.label !== undefined} />
            </td>
            <td>
              <CoveredBy lines={coverage.lines} open={open} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NarrowTable({ rows }: { rows: readonly Row[] }) {
  return (
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
        {rows.map(({ event: e, coverage }, i) => (
          <tr key={`${e.date}-${e.action}-${i}`}>
            <td>{usDate(e.date)}</td>
            <td>{actionOf(e)}</td>
            <td class="num">{quantityWords(e)}</td>
            <td class="pv-coverage-cell">
              <SyncStatus coverage={coverage} withDetail={true} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HistoryPanel({ model, wide = false }: { model: WizardModel; wide?: boolean }) {
  const state = model.history.value;
  const plan = model.plan.value;
  const rows = state.status === 'ready' ? rowsOf(state.history, plan, model.agreementId.value) : [];
  const warnings = state.status === 'ready' ? state.history.warnings : [];
  // Without Pax8's orders only the changes made from the pod name who made them.
  const ordersUnread = warnings.some((w) => w.code === 'pax8_orders_unavailable');
  const orderedBy = !ordersUnread || rows.some((r) => r.event.orderedBy !== null);
  return (
    <details
      class={`pv-history${wide ? ' pv-history-wide' : ''}`}
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void model.loadHistory();
      }}
    >
      <summary>Subscription history</summary>
      <div aria-live="polite">
        {state.status === 'loading' && <p class="pv-muted">Loading…</p>}
        {state.status === 'error' && <p class="pv-muted">{state.message}</p>}
        {state.status === 'ready' && <p class="pv-history-summary">{historySummary(rows)}</p>}
        {warnings.map((w) => (
          <p key={w.code} class="pv-note pv-history-warning">
            {w.message}
          </p>
        ))}
      </div>
      {state.status === 'ready' && rows.length > 0 && (
        <ScrollBox label="Subscription history">
          {wide ? (
            <WideTable rows={rows} open={model.openAgreement} orderedBy={orderedBy} />
          ) : (
            <NarrowTable rows={rows} />
          )}
        </ScrollBox>
      )}
    </details>
  );
}
