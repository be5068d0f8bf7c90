// CW's grid footer: "1 - 10 of 42", rows per page (10/25/50), Previous and Next.
import { PAGE_SIZES, type PageSize, type Paging } from '../state/app-paging.ts';

export function Pager<T>({ paging, label }: { paging: Paging<T>; label: string }) {
  return (
    <nav class="app-pager" aria-label={`Pages of ${label}`}>
      <span class="app-range">{paging.range.value}</span>
      <label>
        <span class="sr-only">Rows per page of {label}</span>
        <select
          class="app-select"
          value={String(paging.size.value)}
          onChange={(e) => paging.setSize(Number(e.currentTarget.value) as PageSize)}
        >
          {PAGE_SIZES.map((n) => (
            <option key={n} value={String(n)}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="cw-button" disabled={!paging.hasPrevious.value} onClick={paging.previous}>
        Previous
      </button>
      <button type="button" class="cw-button" disabled={!paging.hasNext.value} onClick={paging.next}>
        Next
      </button>
    </nav>
  );
}
