// The reconciliation board, the app's home: when it was computed and what it checked, the money at the top,
// filters, a dense table with a checkbox per row, "select everything out of step", Review selected (N) for the
// bulk review, and CSV exports of the board and of a month's leakage. A row charged up front or once says so under
// its figure, and its money stays out of the money a month at the top.
import { useState } from 'preact/hooks';
import type { BoardModel, BoardSort } from '../state/board-model.ts';
import { type BoardAnswer, type BoardRow, boardStatusLabels } from '../state/board-schemas.ts';
import { LoadNotice } from '../ui/load-notice.tsx';
import { openBulkReview } from './bulk-bridge.ts';
import { FilterBar, FilterSelect, FindBox } from './filter-bar.tsx';
import { checkedTime } from './unsynced-section.tsx';

/** Integer cents → '$1,284.50' (exact: no float on the way). */
export function centsText(cents: number | null): string {
  if (cents === null) return '—';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${cents < 0 ? '-' : ''}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}

const statusFilters = [
  ['all', 'Any status'],
  ['out_of_step', 'Out of step'],
  ['synced', 'Synced'],
  ['below_margin_floor', 'Below margin floor'],
  ['ignored', 'Ignored'],
  ...[
    'never_synced',
    'quantity_differs',
    'price_differs',
    'prorate_pending',
    'changed_since_sync',
    'not_on_agreement',
    'duplicate',
    'double_billed',
    'written_by_hand',
    'cancelled_billing',
    'trial_billing',
    'product_not_bound',
    'arrears',
  ].map((s) => [s, boardStatusLabels[s] ?? s] as const),
] as const;

const sorts: readonly (readonly [BoardSort, string])[] = [
  ['money', 'Largest difference'],
  ['-money', 'Smallest difference'],
  ['margin', 'Lowest margin'],
  ['-margin', 'Highest margin'],
  ['cost', 'Highest Pax8 cost'],
  ['leak', 'Largest leakage'],
  ['company', 'Customer'],
];

const terms = [
  ['', 'Any term'],
  ['Monthly', 'Monthly'],
  ['Annual', 'Annual'],
  ['2-Year', '2-Year'],
  ['3-Year', '3-Year'],
  ['One-Time', 'One-Time'],
  ['Activation', 'Activation'],
  ['Trial', 'Trial'],
  ['Arrears', 'Arrears (usage)'],
] as const;

/** Saves a CSV the server made (a blob link: the download needs the session's bearer token). */
function save(file: { filename: string; text: string } | null) {
  if (!file) return;
  const url = URL.createObjectURL(new Blob([file.text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Head({ model, board }: { model: BoardModel; board: BoardAnswer }) {
  const t = board.totals;
  return (
    <>
      <div class="app-checked">
        <p>
          {board.computedAt === null
            ? 'The board is being computed for the first time…'
            : `Computed ${checkedTime(board.computedAt)}${
                board.refreshedAt && board.refreshedAt !== board.computedAt
                  ? `, refreshed ${checkedTime(board.refreshedAt)}`
                  : ''
              }. ${board.checked.statement}`}
          {(board.recomputing || board.refreshing > 0) && (
            <span class="board-working" role="status">
              {' '}
              {board.recomputing ? 'Recomputing…' : 'Refreshing…'}
            </span>
          )}
        </p>
        <button
          type="button"
          class="cw-button"
          disabled={board.recomputing}
          onClick={() => void model.recompute()}
        >
          Recompute
        </button>
      </div>
      {board.lastError && <p class="app-error">{board.lastError}</p>}
      <p class="board-totals">
        <strong>{t.statement}</strong>
        <span class="app-muted">
          {' '}
          · {t.outOfStep} out of step · Pax8 cost {centsText(t.costCents)} · margin {centsText(t.marginCents)}{' '}
          · leakage {t.leakSeats} seats ({centsText(t.leakCents)})
          {t.upFront.rows > 0 &&
            ` · charged up front or once: Pax8 cost ${centsText(t.upFront.costCents)}, margin ${centsText(t.upFront.marginCents)}`}
          {board.marginFloorPercent !== null &&
            ` · ${t.belowMarginFloor} below the ${board.marginFloorPercent}% margin floor`}
        </span>
      </p>
    </>
  );
}

function Actions({ model, board }: { model: BoardModel; board: BoardAnswer }) {
  const [month, setMonth] = useState('');
  const chosen = month || board.months[0] || '';
  const count = model.selectedCount.value;
  const below = model.selectedBelowFloor.value;
  return (
    <div class="app-actions board-actions">
      <button type="button" class="cw-button" onClick={() => void model.selectOutOfStep()}>
        Select everything out of step
      </button>
      <button type="button" class="cw-button" disabled={count === 0} onClick={() => model.clearSelection()}>
        Clear selection
      </button>
      <button
        type="button"
        class="cw-button primary"
        disabled={count === 0}
        onClick={() =>
          // The bulk review plans per agreement: a row ConnectWise has no agreement for is not sent, and only
          // the pair is (POST /api/bulk/plan refuses any other key).
          openBulkReview(
            model
              .selectedItems()
              .flatMap(({ subscriptionId, agreementId }) =>
                agreementId === null ? [] : [{ subscriptionId, agreementId }],
              ),
          )
        }
      >
        Review selected ({count})
      </button>
      {model.leftOutNote.value && <span class="board-left-out">{model.leftOutNote.value}</span>}
      {below > 0 && (
        <span class="board-floor">{below} below the margin floor: the review asks to confirm them</span>
      )}
      <span class="board-spacer" />
      <button type="button" class="cw-button" onClick={async () => save(await model.exportBoard())}>
        Export CSV
      </button>
      {board.months.length > 0 && (
        <>
          <label>
            Leakage of{' '}
            <select class="app-select" value={chosen} onChange={(e) => setMonth(e.currentTarget.value)}>
              {board.months.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="cw-button"
            onClick={async () => save(await model.exportLeakage(chosen))}
          >
            Leakage CSV
          </button>
        </>
      )}
    </div>
  );
}

function Filters({ model, board }: { model: BoardModel; board: BoardAnswer }) {
  const q = model.query.value;
  return (
    <FilterBar
      shown={`${board.page.matched} of ${board.totals.rows} shown · ${board.filteredTotals.statement}`}
    >
      <FilterSelect
        label="Status"
        value={q.status}
        options={statusFilters}
        onChange={(status) => model.set({ status })}
      />
      <FilterSelect label="Term" value={q.term} options={terms} onChange={(term) => model.set({ term })} />
      <label>
        Difference at least ${' '}
        <input
          class="app-input board-amount"
          inputMode="decimal"
          value={q.minAmount}
          aria-label="Difference at least, in dollars"
          onInput={(e) => model.set({ minAmount: e.currentTarget.value })}
        />
      </label>
      <FilterSelect label="Sort" value={q.sort} options={sorts} onChange={(sort) => model.set({ sort })} />
      <FindBox
        value={q.q}
        placeholder="Customer, product, Pax8 or CW id"
        onInput={(text) => model.set({ q: text })}
      />
    </FilterBar>
  );
}

function Row({ model, row }: { model: BoardModel; row: BoardRow }) {
  const checked = model.selected.value.has(row.subscriptionId);
  const label = `${row.productName} (${row.companyName})`;
  return (
    <tr class={row.ignored ? 'board-ignored' : undefined}>
      <td>
        <input
          type="checkbox"
          checked={checked}
          aria-label={`Select ${label}`}
          onChange={() => model.toggle(row)}
        />
      </td>
      <th scope="row" class="app-rowhead">
        {row.companyName}
        <div class="app-id">
          CW #{row.cwCompanyId}
          {row.agreementId !== null && ` · agreement #${row.agreementId}`}
        </div>
      </th>
      <td title={`Pax8 subscription ${row.subscriptionId}`}>{row.productName}</td>
      <td>{row.billingTerm}</td>
      <td class="num board-nw">{row.quantity}</td>
      <td>
        <span class={`app-reason ${row.status}`}>{boardStatusLabels[row.status] ?? row.status}</span>
        {row.ignored && <div class="app-muted">ignored</div>}
      </td>
      <td class="board-nw">{row.month ?? '—'}</td>
      <td class="num board-nw">{centsText(row.willCents)}</td>
      <td class="num board-nw">{centsText(row.shouldCents)}</td>
      <td
        class={`num ${row.differenceCents > 0 ? 'board-short' : row.differenceCents < 0 ? 'board-over' : ''}`}
      >
        {centsText(row.differenceCents)}
        {/* An annual or 3-year charge (or a one-time one) is never to be read as money a month. */}
        {row.charge !== 'month' && <div class="board-charge">{row.chargeWords}</div>}
      </td>
      <td class="num board-nw">
        {centsText(row.costCents)}
        {row.costSource === 'subscription' && <span title="estimated from Pax8's partner cost">*</span>}
      </td>
      <td class="num board-nw">
        {centsText(row.marginAfterSyncCents)}
        {row.marginPercent !== null && <div class="app-id">{row.marginPercent.toFixed(1)}%</div>}
        {row.belowMarginFloor && <div class="board-floor">below floor</div>}
      </td>
      <td class="num board-nw">
        {row.leakSeats === null ? '—' : `${row.leakSeats} · ${centsText(row.leakCents)}`}
      </td>
    </tr>
  );
}

function Table({ model, board }: { model: BoardModel; board: BoardAnswer }) {
  const rows = board.rows;
  const allOnPage = rows.length > 0 && rows.every((r) => model.selected.value.has(r.subscriptionId));
  if (rows.length === 0) {
    return (
      <p class="app-empty">
        {board.computedAt === null
          ? 'Nothing to show until the first computation ends.'
          : 'No row matches these filters.'}
      </p>
    );
  }
  return (
    <table class="app-table board-table">
      <caption class="sr-only">Pax8 subscriptions against ConnectWise billing, per month</caption>
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              checked={allOnPage}
              aria-label="Select every row on this page"
              onChange={(e) => model.togglePage(e.currentTarget.checked)}
            />
          </th>
          <th scope="col">Customer</th>
          <th scope="col">Product</th>
          <th scope="col">Term</th>
          <th scope="col" class="num">
            Seats
          </th>
          <th scope="col">Status</th>
          <th scope="col">Month</th>
          <th scope="col" class="num">
            CW will bill
          </th>
          <th scope="col" class="num">
            Should bill
          </th>
          <th scope="col" class="num">
            Not billed
          </th>
          <th scope="col" class="num">
            Pax8 cost
          </th>
          <th scope="col" class="num">
            Margin after sync
          </th>
          <th scope="col" class="num">
            Leakage
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <Row key={row.subscriptionId} model={model} row={row} />
        ))}
      </tbody>
    </table>
  );
}

function Pager({ model, board }: { model: BoardModel; board: BoardAnswer }) {
  const { offset, returned, matched, limit } = board.page;
  if (matched <= limit) return null;
  return (
    <nav class="app-pager" aria-label="Board pages">
      <button type="button" class="cw-button" disabled={offset === 0} onClick={() => model.page(-1)}>
        Previous
      </button>
      <span>
        Rows {offset + 1}–{offset + returned} of {matched}
      </span>
      <button
        type="button"
        class="cw-button"
        disabled={offset + limit >= matched}
        onClick={() => model.page(1)}
      >
        Next
      </button>
    </nav>
  );
}

export function BoardSection({ model }: { model: BoardModel }) {
  const state = model.state.value;
  if (state.status !== 'ready') {
    return (
      <LoadNotice
        state={state}
        loading="Loading the board…"
        failed="Could not load the board"
        retry={() => model.load()}
      />
    );
  }
  const board = state.board;
  return (
    <div class="board" aria-busy={model.reloading.value}>
      <Head model={model} board={board} />
      {model.actionError.value && <p class="app-error">{model.actionError.value}</p>}
      <Filters model={model} board={board} />
      <Actions model={model} board={board} />
      <Table model={model} board={board} />
      <Pager model={model} board={board} />
    </div>
  );
}
