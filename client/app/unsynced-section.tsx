// The guide's "Unsynced Subscriptions" page: what was checked and when, the non-arrears and arrears
// lists with Sync / Open in ConnectWise / Ignore, and the ignored subscriptions with Restore at the bottom.
import type { ReasonFilter } from '../state/app-audit-model.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import { reasonLabels } from '../state/app-schemas.ts';
import { usDate } from '../ui/format.ts';
import { LoadNotice } from '../ui/load-notice.tsx';
import { Notice } from '../ui/notice.tsx';
import { IgnoredTable, RowsTable } from './audit-tables.tsx';
import { FilterBar, FilterSelect, FindBox } from './filter-bar.tsx';

/** '2020-09-20T12:00:00Z' → '09/20/2020 12:00 UTC' (the server's clock, so no local-zone guess). */
export function checkedTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${usDate(m[1])} ${m[2]} UTC` : iso;
}

const reasonFilters: readonly (readonly [ReasonFilter, string])[] = (
  [
    'all',
    'never_synced',
    'changed_since_sync',
    'product_not_bound',
    'company_not_bound',
    'quantity_differs',
    'price_differs',
    'prorate_pending',
    'not_on_agreement',
    'duplicate',
    'double_billed',
    'written_by_hand',
    'cancelled_billing',
    'trial_billing',
  ] as const
).map((r) => [r, r === 'all' ? 'Any reason' : reasonLabels[r]] as const);

function Filters({ root }: { root: AppRoot }) {
  const { audit } = root;
  return (
    <FilterBar shown={`${audit.matching.value} shown`}>
      <FilterSelect
        label="Why"
        value={audit.reasonFilter.value}
        options={reasonFilters}
        onChange={(r) => audit.setReasonFilter(r)}
      />
      <FindBox
        value={audit.search.value}
        placeholder="Company or subscription"
        onInput={(t) => audit.setSearch(t)}
      />
    </FilterBar>
  );
}

/** The server answers in pages: how many rows are here, and a button (a native one: Tab and Enter) for more. */
function MoreRows({ root }: { root: AppRoot }) {
  const { audit } = root;
  const state = audit.state.value;
  if (state.status !== 'ready' || !audit.hasMore.value) return null;
  const total = state.audit.counts.nonArrears + state.audit.counts.arrears;
  return (
    <div class="app-more-rows">
      <p>
        Showing {audit.loaded.value} of {total} listed subscriptions. Search and filters look at the rows
        shown.
      </p>
      <button
        type="button"
        class="cw-button"
        disabled={audit.loadingMore.value}
        onClick={() => void audit.loadMore()}
      >
        {audit.loadingMore.value ? 'Loading…' : 'Load more subscriptions'}
      </button>
    </div>
  );
}

export function UnsyncedSection({ root }: { root: AppRoot }) {
  const { audit } = root;
  const state = audit.state.value;
  if (state.status !== 'ready') {
    return (
      <LoadNotice
        state={state}
        loading="Reading every Pax8 subscription…"
        failed="Could not check the subscriptions"
        retry={() => audit.load()}
      >
        <p>Nothing was checked: this is not a clean result.</p>
      </LoadNotice>
    );
  }
  const a = state.audit;
  return (
    <div class="app-unsynced">
      <div class="app-checked">
        <p>
          <strong>
            {a.checked.nothingRead ? 'Nothing checked' : `Checked at ${checkedTime(a.checkedAt)}`}
          </strong>
          {' · '}
          {a.checked.statement}
        </p>
        <button
          type="button"
          class="cw-button"
          disabled={audit.refreshing.value}
          onClick={() => void audit.load()}
        >
          {audit.refreshing.value ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {a.checked.nothingRead && (
        <Notice tone="warn" title="No subscriptions were read from Pax8">
          <p>An empty list here does not mean everything is synced. Check the Pax8 connection in setup.</p>
        </Notice>
      )}
      {audit.actionError.value && <Notice tone="error" title={audit.actionError.value} />}
      <p class="app-hint">
        We recommend checking this list before invoicing each month. Ignoring a subscription keeps it off this
        list until you restore it from Ignored Subscriptions at the bottom of this page.
      </p>
      <MoreRows root={root} />
      <section aria-labelledby="app-nonarrears">
        <h3 id="app-nonarrears" tabIndex={-1}>
          Non Arrears Subscriptions ({a.counts.nonArrears})
        </h3>
        <Filters root={root} />
        <RowsTable
          root={root}
          paging={audit.nonArrears}
          caption="Non Arrears Subscriptions"
          heading="app-nonarrears"
          empty={
            a.checked.nothingRead
              ? 'Nothing was checked.'
              : a.counts.nonArrears > 0
                ? 'No unsynced subscription matches.'
                : 'Every checked subscription is synced or ignored.'
          }
        />
      </section>
      <section aria-labelledby="app-arrears">
        <h3 id="app-arrears" tabIndex={-1}>
          Arrears Subscriptions ({a.counts.arrears})
        </h3>
        <p class="app-hint">
          Usage products, billed after the month from Pax8's invoices rather than as recurring additions.
        </p>
        <RowsTable
          root={root}
          paging={audit.arrears}
          caption="Arrears Subscriptions"
          heading="app-arrears"
          empty="No usage subscriptions."
        />
      </section>
      <section aria-labelledby="app-ignored">
        <h3 id="app-ignored" tabIndex={-1}>
          Ignored Subscriptions ({a.counts.ignored})
        </h3>
        <IgnoredTable root={root} />
      </section>
    </div>
  );
}
