// The guide's "Unsynced Subscriptions" page: what was checked and when, the non-arrears and arrears
// lists with Sync / Open in ConnectWise / Ignore, and the ignored subscriptions with Restore at the bottom.

import type { Paging } from '../state/app-paging.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import { type AuditSubscription, reasonLabels, type UnsyncedRow } from '../state/app-schemas.ts';
import { usDate } from '../ui/format.ts';
import { Notice } from '../ui/notice.tsx';
import { Pager } from './pager.tsx';

/** '2020-09-20T12:00:00Z' → '09/20/2020 12:00 UTC' (the server's clock, so no local-zone guess). */
export function checkedTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${usDate(m[1])} ${m[2]} UTC` : iso;
}

function ShortId({ id }: { id: string }) {
  return (
    <span class="app-id" title={id}>
      {id.slice(0, 8)}
    </span>
  );
}

const named = (s: AuditSubscription) => `${s.productName} for ${s.companyName}`;

function Actions({ root, row }: { root: AppRoot; row: UnsyncedRow }) {
  const busy = root.audit.pending.value.has(row.subscription.id);
  const what = named(row.subscription);
  const cwId = row.cwCompanyId;
  return (
    <div class="app-actions">
      {cwId === null ? (
        <button
          type="button"
          class="cw-button"
          aria-label={`Bind company ${row.subscription.companyName}`}
          onClick={() => root.findCompany(row.subscription.companyName)}
        >
          Bind company
        </button>
      ) : (
        <>
          <button
            type="button"
            class="cw-button primary"
            aria-label={`Sync ${what}`}
            onClick={() => root.nav.showSubscriptions(cwId)}
          >
            Sync
          </button>
          <button
            type="button"
            class="app-link"
            aria-label={`Open ${row.subscription.companyName} in ConnectWise`}
            onClick={() => root.openCompany(cwId)}
          >
            Open in ConnectWise
          </button>
        </>
      )}
      <button
        type="button"
        class="cw-button"
        disabled={busy}
        aria-label={`Ignore ${what}`}
        onClick={() => void root.audit.ignore(row.subscription.id)}
      >
        {busy ? 'Ignoring…' : 'Ignore'}
      </button>
    </div>
  );
}

function RowsTable({
  root,
  paging,
  caption,
  empty,
}: {
  root: AppRoot;
  paging: Paging<UnsyncedRow>;
  caption: string;
  empty: string;
}) {
  const rows = paging.rows.value;
  return (
    <>
      <table class="app-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Company</th>
            <th scope="col">Subscription</th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col">Term</th>
            <th scope="col">Why</th>
            <th scope="col">Action(s)</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} class="app-empty">
                {empty}
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.subscription.id}>
              <td>
                <ShortId id={row.subscription.id} />
              </td>
              <td>{row.subscription.companyName}</td>
              <th scope="row" class="app-rowhead">
                {row.subscription.productName}
                {row.subscription.status !== 'Active' && (
                  <span class="app-status"> · {row.subscription.status}</span>
                )}
              </th>
              <td class="num">{row.subscription.quantity}</td>
              <td>{row.subscription.billingTerm}</td>
              <td>
                <span class={`app-reason ${row.reason}`}>{reasonLabels[row.reason]}</span>
              </td>
              <td>
                <Actions root={root} row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager paging={paging} label={caption} />
    </>
  );
}

function IgnoredTable({ root }: { root: AppRoot }) {
  const paging = root.audit.ignored;
  const rows = paging.rows.value;
  const pending = root.audit.pending.value;
  return (
    <>
      <table class="app-table">
        <caption class="sr-only">Ignored Subscriptions</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Company</th>
            <th scope="col">Subscription</th>
            <th scope="col">Ignored by</th>
            <th scope="col">Ignored on</th>
            <th scope="col">Action(s)</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={6} class="app-empty">
                No ignored subscriptions.
              </td>
            </tr>
          )}
          {rows.map((row) => {
            const busy = pending.has(row.subscriptionId);
            const what = row.subscription ? named(row.subscription) : `subscription ${row.subscriptionId}`;
            return (
              <tr key={row.subscriptionId}>
                <td>
                  <ShortId id={row.subscriptionId} />
                </td>
                <td>{row.subscription?.companyName ?? '—'}</td>
                <th scope="row" class="app-rowhead">
                  {row.subscription?.productName ?? 'No longer listed by Pax8'}
                  {row.note && <span class="app-status"> · {row.note}</span>}
                </th>
                <td>{row.ignoredBy}</td>
                <td>{usDate(row.ignoredAt)}</td>
                <td>
                  <button
                    type="button"
                    class="cw-button"
                    disabled={busy}
                    aria-label={`Restore ${what}`}
                    onClick={() => void root.audit.restore(row.subscriptionId)}
                  >
                    {busy ? 'Restoring…' : 'Restore'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pager paging={paging} label="Ignored Subscriptions" />
    </>
  );
}

export function UnsyncedSection({ root }: { root: AppRoot }) {
  const { audit } = root;
  const state = audit.state.value;
  if (state.status === 'loading') return <Notice tone="progress" title="Reading every Pax8 subscription…" />;
  if (state.status === 'error') {
    return (
      <Notice
        tone="error"
        title="Could not check the subscriptions"
        action={{ label: 'Retry', onClick: () => void audit.load() }}
      >
        <p>{state.message}</p>
        <p>Nothing was checked: this is not a clean result.</p>
      </Notice>
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
      <section aria-labelledby="app-nonarrears">
        <h3 id="app-nonarrears">Non Arrears Subscriptions ({a.counts.nonArrears})</h3>
        <RowsTable
          root={root}
          paging={audit.nonArrears}
          caption="Non Arrears Subscriptions"
          empty={
            a.checked.nothingRead
              ? 'Nothing was checked.'
              : 'Every checked subscription is synced or ignored.'
          }
        />
      </section>
      <section aria-labelledby="app-arrears">
        <h3 id="app-arrears">Arrears Subscriptions ({a.counts.arrears})</h3>
        <p class="app-hint">
          Usage products, billed after the month from Pax8's invoices rather than as recurring additions.
        </p>
        <RowsTable
          root={root}
          paging={audit.arrears}
          caption="Arrears Subscriptions"
          empty="No usage subscriptions."
        />
      </section>
      <section aria-labelledby="app-ignored">
        <h3 id="app-ignored">Ignored Subscriptions ({a.counts.ignored})</h3>
        <IgnoredTable root={root} />
      </section>
    </div>
  );
}
