// The board's hand-off to the bulk review: the selected rows (subscription × agreement) to review together.
import { signal } from '@preact/signals';
import type { BulkItem } from '../state/bulk-model.ts';

export type { BulkItem };

export const bulkItems = signal<BulkItem[] | null>(null);

export function openBulkReview(items: BulkItem[]): void {
  bulkItems.value = items;
}
