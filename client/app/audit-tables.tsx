// The audit's tables: unsynced rows with Sync / Open in ConnectWise / Ignore (or Bind company), and the
// ignored subscriptions with Restore. Buttons are named after their row for screen readers.

import type { Paging } from '../state/app-paging.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import { type AuditSubscription, reasonLabels, type UnsyncedRow } from '../state/app-schemas.ts';
import { usDate } from '../ui/format.ts';
import { OpenInConnectWise } from './open-in-connectwise.tsx';
import { PagedTable } from './paged-table.tsx';

function ShortId({ id }: { id: string }) {
  return (
    <span class="app-id" title={id}>
      {id.slice(0, 8)}
    </span>
  );
}

/** The clicked row is gone after an ignore or restore: keep the keyboard in the same list. */
function focusHeading(id: string): void {
  document.getElementById(id)?.focus();
}

const named = (s: AuditSubscription) => `${s.productName} for ${s.companyName}`;

function Actions({ root, row, heading }: { root: AppRoot; row: UnsyncedRow; heading: string }) {
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
          <OpenInConnectWise root={root} id={cwId} name={row.subscription.companyName} />
        </>
      )}
      <button
        type="button"
        class="cw-button"
        disabled={busy}
        aria-label={`Ignore ${what}`}
        onClick={() => void root.audit.ignore(row.subscription.id).then(() => focusHeading(heading))}
      >
        {busy ? 'Ignoring…' : 'Ignore'}
      </button>
    </div>
  );
}

export function RowsTable({
  root,
  paging,
  caption,
  empty,
  heading,
}: {
  root: AppRoot;
  paging: Paging<UnsyncedRow>;
  caption: string;
  empty: string;
  /** The id of the list's heading, focused after an ignore. */
  heading: string;
}) {
  return (
    <PagedTable
      paging={paging}
      caption={caption}
      columns={['Id', 'Company', 'Subscription', { label: 'Qty', num: true }, 'Term', 'Why', 'Action(s)']}
      empty={empty}
      row={(row) => (
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
          <td>{row.money?.term ?? row.subscription.billingTerm}</td>
          <td>
            <span class={`app-reason ${row.reason}`}>{reasonLabels[row.reason]}</span>
            {row.money?.message && <span class="app-money">{row.money.message}</span>}
          </td>
          <td>
            <Actions root={root} row={row} heading={heading} />
          </td>
        </tr>
      )}
    />
  );
}

export function IgnoredTable({ root }: { root: AppRoot }) {
  const pending = root.audit.pending.value;
  return (
    <PagedTable
      paging={root.audit.ignored}
      caption="Ignored Subscriptions"
      columns={['Id', 'Company', 'Subscription', 'Ignored by', 'Ignored on', 'Action(s)']}
      empty="No ignored subscriptions."
      row={(row) => {
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
                onClick={() =>
                  void root.audit.restore(row.subscriptionId).then(() => focusHeading('app-ignored'))
                }
              >
                {busy ? 'Restoring…' : 'Restore'}
              </button>
            </td>
          </tr>
        );
      }}
    />
  );
}
