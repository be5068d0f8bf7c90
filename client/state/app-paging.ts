// Paging over a list signal, as CW's grids page: 10, 25 or 50 rows, "1 - 10 of 42", Previous/Next.
import { computed, type ReadonlySignal, signal } from '@preact/signals';

export const PAGE_SIZES = [10, 25, 50] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export type Paging<T> = {
  size: ReadonlySignal<PageSize>;
  /** Zero-based, clamped to the last page when the list shrinks. */
  page: ReadonlySignal<number>;
  pages: ReadonlySignal<number>;
  rows: ReadonlySignal<T[]>;
  /** "1 - 10 of 42", or "0 of 0". */
  range: ReadonlySignal<string>;
  hasPrevious: ReadonlySignal<boolean>;
  hasNext: ReadonlySignal<boolean>;
  setSize(size: PageSize): void;
  previous(): void;
  next(): void;
  /** Back to the first page (after the filter changes). */
  first(): void;
};

export function createPaging<T>(list: ReadonlySignal<readonly T[]>, initial: PageSize = 10): Paging<T> {
  const size = signal<PageSize>(initial);
  const wanted = signal(0);
  const pages = computed(() => Math.max(1, Math.ceil(list.value.length / size.value)));
  const page = computed(() => Math.min(wanted.value, pages.value - 1));
  const rows = computed(() => list.value.slice(page.value * size.value, (page.value + 1) * size.value));
  const range = computed(() => {
    const total = list.value.length;
    if (total === 0) return '0 of 0';
    const from = page.value * size.value + 1;
    return `${from} - ${from + rows.value.length - 1} of ${total}`;
  });
  const hasPrevious = computed(() => page.value > 0);
  const hasNext = computed(() => page.value < pages.value - 1);
  return {
    size,
    page,
    pages,
    rows,
    range,
    hasPrevious,
    hasNext,
    setSize(next) {
      // Keep the first row of the current page in view.
      const first = page.peek() * size.peek();
      size.value = next;
      wanted.value = Math.floor(first / next);
    },
    previous() {
      if (hasPrevious.peek()) wanted.value = page.peek() - 1;
    },
    next() {
      if (hasNext.peek()) wanted.value = page.peek() + 1;
    },
    first() {
      wanted.value = 0;
    },
  };
}
