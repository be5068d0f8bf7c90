// A CW-style grid over one page of a paged list: a caption for screen readers, the column heads, a row
// saying so when the page is empty, and the pager under it.
import type { ComponentChildren } from 'preact';
import type { Paging } from '../state/app-paging.ts';
import { Pager } from './pager.tsx';

/** A column head; `{ num }` right-aligns it over figures. */
export type Column = string | { label: string; num: true };

export function PagedTable<T>({
  paging,
  caption,
  pagerLabel = caption,
  columns,
  empty,
  row,
}: {
  paging: Paging<T>;
  caption: string;
  /** Names the pager ("Pages of …"); the caption when not given. */
  pagerLabel?: string;
  columns: readonly Column[];
  empty: ComponentChildren;
  /** One `<tr>` (with its key) per item. */
  row: (item: T) => ComponentChildren;
}) {
  const rows = paging.rows.value;
  return (
    <>
      <table class="app-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col" class="num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} class="app-empty">
                {empty}
              </td>
            </tr>
          )}
          {rows.map(row)}
        </tbody>
      </table>
      <Pager paging={paging} label={pagerLabel} />
    </>
  );
}
