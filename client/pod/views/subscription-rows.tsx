// One line per Pax8 subscription: product, quantities Pax8 vs ConnectWise, status badge, and the fixing action;
// then the "ghosts": additions billed for a Pax8 product with no subscription behind them.
import type { RecordView } from '../../state/agreement-model.ts';
import type { Ghost, RowAction, ViewRow } from '../../state/pod-schemas.ts';
import { dollars, usDate } from '../../ui/format.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';

// A synced row can still be opened: the wizard shows what is synced and writes nothing twice. Adopting a line
// written by hand is a sync in update mode (the write adds our marker); a duplicate is cancelled in ConnectWise.
const actionLabels: Record<RowAction, string> = {
  sync: 'Sync',
  bind_product: 'Bind product',
  bind_company: 'Bind company',
  none: 'Review',
  adopt: 'Adopt',
  cancel_addition: 'Review',
};

/** The row's money and fix in words: read at 320 px without a table. */
export function rowNotes(row: ViewRow): string[] {
  const notes: string[] = [];
  // A usage product reads month by month (billed in arrears): each closed month, then the one still running.
  if (row.money?.usage) {
    return [
      ...row.money.usage.map(usageNote),
      ...(row.bindingChanged ? [row.bindingChanged] : []),
      ...inFlightNote(row),
    ];
  }
  if (row.money && row.status !== 'synced' && row.status !== 'product_not_bound')
    notes.push(row.money.message);
  if (row.status === 'written_by_hand') {
    notes.push('Added in ConnectWise by hand: adopt it so the pod tracks it.');
  }
  if (row.action === 'cancel_addition' && row.fixAdditionIds.length > 0) {
    const ids = row.fixAdditionIds.map((id) => `#${id}`).join(', ');
    notes.push(`Cancel addition ${ids} in ConnectWise (set a cancelled date).`);
  }
  if (row.money && row.money.olderShortfall > 0) {
    notes.push(`${dollars(row.money.olderShortfall / 100)} not billed in months older than the look-back.`);
  }
  if (row.bindingChanged) notes.push(row.bindingChanged);
  notes.push(...inFlightNote(row));
  return notes;
}

const inFlightNote = (row: ViewRow): string[] =>
  row.writeInFlight ? ['A write to ConnectWise is still in flight: wait before syncing again.'] : [];

type UsageMonth = NonNullable<NonNullable<ViewRow['money']>['usage']>[number];

/** "Usage for October 2026: synced ($304.55)" / "…: not billed ($304.55)" / "…: usage not closed yet". */
export function usageNote(m: UsageMonth): string {
  const name = monthLabel(m.month);
  if (m.status === 'not_closed') return `Usage for ${name}: usage not closed yet`;
  if (m.status === 'older')
    return `Usage for ${name}: not billed, older than the look-back (${dollars(m.amount / 100)})`;
  return `Usage for ${name}: ${m.status === 'synced' ? 'synced' : 'not billed'} (${dollars(m.amount / 100)})`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const monthLabel = (month: string): string =>
  `${MONTHS[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;

/** Seats can be changed (or the subscription cancelled) in Pax8 while it is active. */
const changeable = (row: ViewRow) => row.subscription.status === 'Active';
/** A usage product (billed in arrears, e.g. Azure) has no seats to set: it can be cancelled, not modified. */
const seated = (row: ViewRow) => row.money?.usage === undefined;

export function SubscriptionRows({
  view,
  onSync,
  onSeats,
}: {
  view: RecordView;
  onSync: (row: ViewRow) => void;
  /** "Modify" and "Cancel" (guide: Modify quantity, Cancel Subscription); absent: not offered. */
  onSeats?: (row: ViewRow, mode: 'quantity' | 'cancel') => void;
}) {
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
                  {row.money?.term ?? s.billingTerm} · Pax8 {s.quantity}
                  {row.addition ? ` · CW ${row.addition.quantity}` : ''}
                  {view.kind === 'company' && row.addition && agreementName(row.agreementId)
                    ? ` · ${agreementName(row.agreementId)}`
                    : ''}
                  {s.status !== 'Active' ? ` · ${s.status}` : ''}
                </span>
                {rowNotes(row).map((note) => (
                  <span key={note} class="pv-row-note">
                    {note}
                  </span>
                ))}
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
                {onSeats && changeable(row) && (
                  <>
                    {seated(row) && (
                      <button
                        type="button"
                        class="cw-button small"
                        onClick={() => onSeats(row, 'quantity')}
                        aria-label={`Modify quantity: ${s.productName}`}
                      >
                        Modify
                      </button>
                    )}
                    <button
                      type="button"
                      class="cw-button small"
                      onClick={() => onSeats(row, 'cancel')}
                      aria-label={`Cancel subscription: ${s.productName}`}
                    >
                      Cancel
                    </button>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const ghostBadges = {
  subscription_cancelled: { symbol: '✕', label: 'Cancelled in Pax8' },
  no_subscription: { symbol: '!', label: 'Not in Pax8' },
};

function ghostReason(ghost: Ghost): string {
  if (ghost.reason === 'subscription_cancelled') {
    return `The Pax8 subscription${ghost.productName ? ` for ${ghost.productName}` : ''} was cancelled.`;
  }
  return 'The customer has no Pax8 subscription for this product.';
}

/**
 * Additions still billing for a Pax8 product with no subscription behind them. Read-only on purpose: the
 * pod writes to ConnectWise only through sync/plan → sync/apply (journaled, idempotent), and whether the
 * customer still has the service is the MSP's call, so the fix is theirs to make in ConnectWise.
 */
export function GhostRows({ view }: { view: RecordView }) {
  if (view.ghosts.length === 0) return null;
  const agreementName = (id: number) => view.agreements.find((a) => a.id === id)?.name;
  return (
    <section aria-labelledby="pv-ghosts-title" class="pv-ghosts">
      <h3 id="pv-ghosts-title" class="pv-h">
        Billed without a Pax8 subscription
      </h3>
      <p class="pv-note">Cancel it in ConnectWise (set a cancelled date) if the customer no longer has it.</p>
      <ul class="pv-rows">
        {view.ghosts.map((ghost) => {
          const a = ghost.addition;
          const name =
            a.invoiceDescription || ghost.productName || a.identifier || `Catalog item ${a.catalogId}`;
          const badge = ghostBadges[ghost.reason];
          const where = view.kind === 'company' ? agreementName(ghost.agreementId) : undefined;
          return (
            <li key={a.id} class="pv-row pv-ghost" data-addition={a.id}>
              <div class="pv-row-main">
                <span class="pv-row-name">{name}</span>
                <span class="pv-muted">
                  {a.quantity} × {dollars(a.unitPrice)}
                  {a.effectiveDate ? ` · since ${usDate(a.effectiveDate)}` : ''}
                  {where ? ` · ${where}` : ''}
                </span>
                <span class="pv-ghost-reason">{ghostReason(ghost)}</span>
                {ghost.note && <span class="pv-ghost-reason">{ghost.note}</span>}
              </div>
              <div class="pv-row-side">
                <span class="cw-badge ghost" data-reason={ghost.reason}>
                  <span aria-hidden="true">{badge.symbol} </span>
                  {badge.label}
                </span>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
