// A row status as text plus colour (never colour alone), with a symbol hidden from screen readers.
import type { RowStatus } from '../state/pod-schemas.ts';

export const statusLabels: Record<RowStatus, string> = {
  synced: 'Synced',
  quantity_differs: 'Quantity differs',
  price_differs: 'Price differs',
  not_on_agreement: 'Not on agreement',
  product_not_bound: 'Product not bound',
  change_not_synced: 'Change not synced',
};

const symbols: Record<RowStatus, string> = {
  synced: '✓',
  quantity_differs: '≠',
  price_differs: '$',
  not_on_agreement: '+',
  product_not_bound: '?',
  change_not_synced: '↻',
};

export function StatusBadge({ status }: { status: RowStatus }) {
  return (
    <span class={`cw-badge ${status === 'synced' ? 'ok' : 'warn'}`} data-status={status}>
      <span aria-hidden="true">{symbols[status]} </span>
      {statusLabels[status]}
    </span>
  );
}
