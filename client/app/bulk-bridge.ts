// The board's hand-over to the bulk review (issue 11 item 2): the board sets the selected items here and the bulk
// review UI, built beside it, reads the signal and opens. A signal, so neither imports the other.
import { type ReadonlySignal, signal } from '@preact/signals';

export type BulkItem = { subscriptionId: string; agreementId: number | null; companyId: number };

const requested = signal<readonly BulkItem[] | null>(null);

/** The items the member asked to review, or null when no review was asked for (or it was closed). */
export const bulkReviewRequest: ReadonlySignal<readonly BulkItem[] | null> = requested;

export function openBulkReview(items: readonly BulkItem[]): void {
  requested.value = [...items];
}

export function closeBulkReview(): void {
  requested.value = null;
}
