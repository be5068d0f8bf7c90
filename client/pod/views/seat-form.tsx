// The guide's one-step checkout on a pod row: Quantity, "I want to waive prorate", "I accept the terms and
// conditions", then Update (or Cancel subscription). One column at 320 px; every control labelled; errors are
// announced and tied to their field.
import { useEffect, useRef } from 'preact/hooks';
import type { SeatChangeModel, SeatInfo } from '../../state/seat-change-model.ts';
import { usDate } from '../../ui/format.ts';
import { Notice } from '../../ui/notice.tsx';

export function SeatForm({ model }: { model: SeatChangeModel }) {
  const form = model.open.value;
  const first = useRef<HTMLInputElement>(null);
  const opened = form ? `${form.target.id}:${form.mode}` : '';
  // Opening the form moves keyboard focus into it.
  useEffect(() => {
    if (opened) first.current?.focus();
  }, [opened]);
  if (!form) return null;
  const { target, mode } = form;
  const state = model.state.value;
  const busy = state.status === 'submitting';
  const error = state.status === 'error' ? state : undefined;
  const seats = model.parsed.value;
  const nce = model.info.value?.window;
  // Before the term is read, a term other than Monthly is taken as a commitment.
  const commitment = nce !== undefined ? nce !== null : target.billingTerm !== 'Monthly';
  const closed = nce && !nce.open ? nce : undefined;
  const title = mode === 'cancel' ? 'Cancel subscription' : 'Modify quantity';
  const delta = seats !== null && mode === 'quantity' ? seats - target.quantity : 0;
  // The button stays enabled (Pax8 has the last word: the server asks it and words its refusal); the warning is
  // what it says about the button.
  const refusedNow = closed !== undefined && (delta < 0 || mode === 'cancel');
  return (
    <section class="pv-seat" aria-labelledby="pv-seat-title">
      <h3 id="pv-seat-title" class="pv-h">
        {title}: {target.productName}
      </h3>
      <p class="pv-muted">
        {model.info.value?.term ?? target.billingTerm} · {target.quantity} seat
        {target.quantity === 1 ? '' : 's'} now
      </p>
      <form
        class="pv-form pv-seat-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void model.submit();
        }}
      >
        {mode === 'quantity' && (
          <div class="pv-seat-field">
            <label for="pv-seat-qty">Quantity</label>
            <input
              ref={first}
              id="pv-seat-qty"
              class="cw-input"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={model.quantity.value}
              aria-invalid={error?.field === 'quantity' ? 'true' : undefined}
              aria-describedby={`pv-seat-delta${error?.field === 'quantity' ? ' pv-seat-error' : ''}`}
              onInput={(e) => model.setQuantity((e.target as HTMLInputElement).value)}
            />
            <span id="pv-seat-delta" class="pv-note">
              {delta > 0
                ? `+${delta} seat${delta === 1 ? '' : 's'}`
                : delta < 0
                  ? `${delta} seat${delta === -1 ? '' : 's'}`
                  : ''}
            </span>
          </div>
        )}
        {mode === 'quantity' && (
          <label class="pv-check">
            <input
              type="checkbox"
              checked={model.waive.value}
              onChange={(e) => model.setWaive((e.target as HTMLInputElement).checked)}
            />{' '}
            I want to waive prorate.
          </label>
        )}
        <p id="pv-seat-terms" class="pv-note">
          {termsNote(model.info.value?.window, commitment, target.billingTerm === 'Monthly')}
          {mode === 'cancel' ? ' Cancelling ends the subscription in Pax8 today.' : ''}
        </p>
        {refusedNow && (
          <div id="pv-seat-closed">
            <Notice tone="warn">
              <p>
                {mode === 'cancel' ? 'Cancellation' : 'Removing seats'} is not possible now: the 7-day window
                after the purchase or renewal closed {windowTime(closed.closesAt)}
                {closed.renewsOn ? `; the next one opens at the renewal on ${usDate(closed.renewsOn)}` : ''}.
              </p>
            </Notice>
          </div>
        )}
        <label class="pv-check">
          <input
            {...(mode === 'cancel' ? { ref: first } : {})}
            type="checkbox"
            checked={model.accept.value}
            aria-invalid={error?.field === 'accept' ? 'true' : undefined}
            aria-describedby={`pv-seat-terms${error?.field === 'accept' ? ' pv-seat-error' : ''}`}
            onChange={(e) => model.setAccept((e.target as HTMLInputElement).checked)}
          />{' '}
          I accept the terms and conditions
        </label>
        {error && (
          <div id="pv-seat-error">
            <Notice tone="error">
              <p>{error.message}</p>
            </Notice>
          </div>
        )}
        {busy && (
          <Notice
            tone="progress"
            title={mode === 'cancel' ? 'Cancelling in Pax8…' : 'Changing seats in Pax8…'}
          />
        )}
        <div class="pv-bar">
          <button
            type="submit"
            class="cw-button primary"
            disabled={busy}
            aria-disabled={busy}
            aria-describedby={refusedNow ? 'pv-seat-closed' : undefined}
          >
            {mode === 'cancel' ? 'Cancel subscription' : 'Update quantity'}
          </button>
          <button type="button" class="cw-button" onClick={() => model.close()} disabled={busy}>
            Back
          </button>
        </div>
      </form>
    </section>
  );
}

/** '07/27/2026 12:00 UTC'. */
const windowTime = (iso: string) => `${usDate(iso)} ${iso.slice(11, 16)} UTC`;

/**
 * What the customer commits to. Seats added to a term paid monthly (Franks' "Annual, billed monthly" E3) are billed
 * month by month like any monthly seat (spec §5) and kept to the term's end; only a term paid up front bills them
 * to the end of the term at once (the co-termed prorate).
 */
function termsNote(
  window: SeatInfo['window'] | undefined,
  commitment: boolean,
  billedMonthly: boolean,
): string {
  const added = billedMonthly
    ? 'seats added are billed monthly and kept until the term ends'
    : 'seats added are billed to the end of the term';
  if (window?.open)
    return `This subscription is on a commitment term: ${added}; seats can be removed, or the subscription cancelled, until ${windowTime(window.closesAt)} (7 days after its purchase or renewal).`;
  if (commitment)
    return `This subscription is on a commitment term: ${added}, and seats can be removed (or the subscription cancelled) only in the 7 days after its purchase or renewal.`;
  return 'The change is made in Pax8 at once and billed from today.';
}
