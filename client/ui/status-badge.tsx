// A row status as text plus colour (never colour alone), with a symbol hidden from screen readers.
import type { RowStatus } from '../state/pod-schemas.ts';

export const statusLabels: Record<RowStatus, string> = {
  synced: 'Synced',
  quantity_differs: 'Quantity differs',
  price_differs: 'Price differs',
  not_on_agreement: 'Not on agreement',
  product_not_bound: 'Product not bound',
  change_not_synced: 'Change not synced',
  prorate_pending: 'Prorate not billed',
  duplicate: 'Billed twice',
  double_billed: 'On two agreements',
  written_by_hand: 'Written by hand',
  cancelled_billing: 'Cancelled, still billing',
  trial_billing: 'Trial, billing',
  usage_not_billed: 'Usage not billed',
};

const symbols: Record<RowStatus, string> = {
  synced: '✓',
  quantity_differs: '≠',
  price_differs: '$',
  not_on_agreement: '+',
  product_not_bound: '?',
  change_not_synced: '↻',
  prorate_pending: '+',
  duplicate: '×2',
  double_billed: '×2',
  written_by_hand: '✎',
  cancelled_billing: '✕',
  trial_billing: '!',
  usage_not_billed: '+',
};

export function StatusBadge({ status }: { status: RowStatus }) {
  return (
    <span class={`cw-badge ${status === 'synced' ? 'ok' : 'warn'}`} data-status={status}>
      <span aria-hidden="true">{symbols[status]} </span>
      {statusLabels[status]}
    </span>
  );
}
