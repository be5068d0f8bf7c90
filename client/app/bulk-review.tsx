// The bulk review: one table per agreement with each line's money and an Ignore box, totals per agreement and
// overall, the margin-floor confirmation, one Confirm, then a progress bar and each line's result while the
// job runs server-side, and Undo with the review of what the reversal writes.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../state/api.ts';
import {
  type BulkModel,
  centsOf,
  createBulkModel,
  jobIdInHash,
  reviewItemsInHash,
} from '../state/bulk-model.ts';
import type { BulkJob, BulkReview, UndoReview } from '../state/bulk-schemas.ts';
import { centsText } from './board-section.tsx';
import { bulkItems } from './bulk-bridge.ts';
import './bulk-review.css';

/** '1213.30' → '$1,213.30', written as the board writes money (exact cents, thousands grouped). */
const dollars = (amount: string): string => centsText(centsOf(amount));

function ReviewTables({ model, review }: { model: BulkModel; review: BulkReview }) {
  const ignored = model.ignored.value;
  const totals = model.totals.value;
  const below = model.belowFloor.value;
  return (
    <>
      <p class="app-money" aria-live="polite">
        <strong>{dollars(totals.overall.price)}</strong> to bill on {review.groups.length} agreement(s),{' '}
        {totals.overall.lines} line(s), Pax8 cost {dollars(totals.overall.cost)}
      </p>
      {review.refused.length > 0 && (
        <div class="cw-notice warning" role="note">
          <p>{review.refused.length} subscription(s) cannot be planned and are left out:</p>
          <ul>
            {review.refused.map((r) => (
              <li key={`${r.subscriptionId}:${r.agreementId}`}>{r.message}</li>
            ))}
          </ul>
        </div>
      )}
      {review.groups.map((g) => {
        const t = totals.byAgreement.get(g.agreementId);
        const caption = `${g.companyName} / ${g.agreementName}`;
        return (
          <table class="app-table bulk-table" key={g.agreementId}>
            <caption>
              {caption} — {dollars(t?.price ?? '0')} ({t?.lines ?? 0} line(s))
            </caption>
            <thead>
              <tr>
                <th scope="col">Ignore</th>
                <th scope="col">Change</th>
                <th scope="col" class="num">
                  Qty
                </th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col" class="num">
                  Cost
                </th>
                <th scope="col" class="num">
                  Margin
                </th>
              </tr>
            </thead>
            <tbody>
              {g.lines.map((l) => (
                <tr key={l.id} class={ignored.has(l.id) ? 'bulk-ignored' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      checked={ignored.has(l.id)}
                      aria-label={`Ignore: ${l.title} (${l.productName})`}
                      onChange={() => model.toggleLine(l.id)}
                    />
                  </td>
                  <td>
                    {l.title}
                    <span class="app-muted"> {l.productName}</span>
                  </td>
                  <td class="num">{l.quantity}</td>
                  <td class="num">{dollars(l.totalPrice)}</td>
                  <td class="num">{dollars(l.totalCost)}</td>
                  <td class="num">
                    {l.marginPercent === null ? '' : `${l.marginPercent} %`}
                    {l.belowMarginFloor && <strong class="app-error"> below floor</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
      {below.length > 0 && (
        <label class="bulk-floor">
          <input
            type="checkbox"
            checked={model.confirmBelowFloor.value}
            onChange={(e) => model.setConfirmBelowFloor((e.target as HTMLInputElement).checked)}
          />{' '}
          Apply {below.length} line(s) below the margin floor of {review.marginFloorPercent} % anyway
        </label>
      )}
      <div class="app-actions">
        <button
          type="button"
          class="cw-button primary"
          disabled={model.busy.value || totals.overall.lines === 0}
          onClick={() => void model.confirm()}
        >
          Confirm
        </button>
      </div>
    </>
  );
}

function Progress({ job }: { job: BulkJob }) {
  const label = job.kind === 'undo' ? 'Undo progress' : 'Apply progress';
  return (
    <div class="bulk-progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.finished}
        aria-valuetext={`${job.finished} of ${job.total}`}
        class="bulk-bar"
      >
        <span style={{ width: `${job.total === 0 ? 100 : Math.round((job.finished * 100) / job.total)}%` }} />
      </div>
      <p>
        {job.finished} of {job.total} done{job.failed > 0 ? `, ${job.failed} failed` : ''}
        {job.waiting > 0 ? `, ${job.waiting} waiting for ConnectWise` : ''}
      </p>
    </div>
  );
}

const stateWords: Record<string, string> = {
  done: 'Written',
  ignored: 'Ignored',
  nothing_to_do: 'Nothing to do',
  pending: 'Waiting',
  waiting: 'Retrying',
  failed: 'Failed',
  reversed: 'Reversed',
  already: 'Already reversed',
};

function Results({ job }: { job: BulkJob }) {
  return (
    <table class="app-table bulk-table">
      <caption>Result per line</caption>
      <thead>
        <tr>
          <th scope="col">Subscription</th>
          <th scope="col">Line</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {job.items.flatMap((i) =>
          i.lines.map((l) => (
            <tr key={l.id}>
              <td>
                <span class="app-id" title={i.subscriptionId}>
                  {i.subscriptionId.slice(0, 8)}
                </span>
              </td>
              <td>{l.key.split(':')[0]}</td>
              <td>
                {stateWords[l.state] ?? l.state}
                {l.additionId !== null ? ` (addition ${l.additionId})` : ''}
                {l.message ? <span class="app-error"> {l.message}</span> : null}
              </td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function UndoTable({ undo }: { undo: UndoReview }) {
  return (
    <table class="app-table bulk-table">
      <caption>What the undo writes ({undo.lines.length} change(s))</caption>
      <tbody>
        {undo.lines.map((l) => (
          <tr key={l.id}>
            <td>
              {l.title}
              {l.fields.map((f) => (
                <span key={f.field} class="app-muted">
                  {' '}
                  {f.field}: {String(f.from)} → {String(f.to)}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BulkReviewPanel({ model, onClose }: { model: BulkModel; onClose: () => void }) {
  const s = model.state.value;
  return (
    <section class="bulk-review" aria-labelledby="bulk-title">
      <div class="app-actions">
        <h3 id="bulk-title">{s.status === 'undo-review' ? 'Undo a batch' : 'Bulk review'}</h3>
        <button type="button" class="cw-button" onClick={onClose}>
          Close
        </button>
      </div>
      {model.actionError.value && (
        <p class="app-error" role="alert">
          {model.actionError.value}
        </p>
      )}
      {s.status === 'planning' && (
        <p class="cw-spinner" role="status">
          Planning…
        </p>
      )}
      {s.status === 'error' && (
        <p class="app-error" role="alert">
          {s.message}
        </p>
      )}
      {s.status === 'review' && <ReviewTables model={model} review={s.review} />}
      {(s.status === 'running' || s.status === 'finished') && (
        <>
          <Progress job={s.job} />
          {s.status === 'finished' && s.job.kind === 'apply' && (
            <div class="app-actions">
              <button
                type="button"
                class="cw-button"
                disabled={model.busy.value}
                onClick={() => void model.planUndo()}
              >
                Undo this batch…
              </button>
            </div>
          )}
          <Results job={s.job} />
        </>
      )}
      {s.status === 'undo-review' && (
        <>
          <UndoTable undo={s.undo} />
          <div class="app-actions">
            <button
              type="button"
              class="cw-button primary"
              disabled={model.busy.value || s.undo.lines.length === 0}
              onClick={() => void model.confirmUndo()}
            >
              Confirm undo
            </button>
          </div>
        </>
      )}
      <p class="sr-only" role="status" aria-live="polite">
        {model.announcement.value}
      </p>
    </section>
  );
}

/**
 * Shows the bulk review in place of `children` while one is open: rows sent by the board (openBulkReview), or
 * the job named in the URL hash when the page is reopened.
 */
export function BulkHost({
  api,
  model: given,
  onFinished,
  children,
}: {
  api: Api;
  /** Made from `api` when not given (tests pass one with a fast clock). */
  model?: BulkModel;
  /** A job (an apply or its undo) ended: what shows the rows it wrote reads them again (the board). */
  onFinished?: (job: BulkJob) => void;
  children: ComponentChildren;
}) {
  const model = useMemo(() => given ?? createBulkModel({ api }), [given, api]);
  const s = model.state.value;
  const finishedId = s.status === 'finished' ? s.job.id : null;
  // The last applied batch stays one click away once its review is closed, so it can still be undone.
  const [last, setLast] = useState<BulkJob | null>(null);
  useEffect(() => {
    const now = model.state.peek();
    if (!finishedId || now.status !== 'finished') return;
    setLast(now.job.kind === 'apply' ? now.job : null);
    onFinished?.(now.job);
  }, [finishedId, model]);
  useEffect(() => {
    // A link to a job or a review: when the page opens, and when a link is followed on the open page.
    const open = () => {
      const id = jobIdInHash(location.hash);
      const linked = reviewItemsInHash(location.hash);
      if (id) void model.follow(id);
      else if (linked) void model.plan(linked);
    };
    open();
    addEventListener('hashchange', open);
    return () => {
      removeEventListener('hashchange', open);
      model.close();
    };
  }, [model]);
  const items = bulkItems.value;
  useEffect(() => {
    if (items) void model.plan(items);
  }, [items, model]);
  if (model.state.value.status === 'idle') {
    return (
      <>
        {last && (
          <div class="app-actions bulk-last">
            <span>
              Last batch: {last.done} of {last.total} done{last.failed > 0 ? `, ${last.failed} failed` : ''}.
            </span>
            <button type="button" class="cw-button" onClick={() => void model.follow(last.id)}>
              Open the last batch (undo)…
            </button>
          </div>
        )}
        {children}
      </>
    );
  }
  const close = () => {
    bulkItems.value = null;
    model.close();
  };
  return <BulkReviewPanel model={model} onClose={close} />;
}
