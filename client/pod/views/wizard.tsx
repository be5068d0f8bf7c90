// The sync wizard's frame: the step bar, the current step, and what was written after Confirm Sync.
import { useEffect, useRef } from 'preact/hooks';
import { type ApplyResult, additionKindWords } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { Notice } from '../../ui/notice.tsx';
import { StepBar } from '../../ui/step-bar.tsx';
import { AdditionStep } from './addition-step.tsx';
import { HistoryPanel } from './history-panel.tsx';
import { ProductStep } from './product-step.tsx';
import { ReviewStep } from './review-step.tsx';
import { UsageStep } from './usage-step.tsx';

export function Wizard({ model, wide }: { model: WizardModel; wide: boolean }) {
  const open = model.open.value;
  const step = model.step.value;
  const body = useRef<HTMLDivElement>(null);
  // Keyboard and screen-reader users land on each new step's heading, not back at the top of the page.
  useEffect(() => {
    const heading = body.current?.querySelector<HTMLElement>('h4, .cw-notice');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }, [step, open]);
  if (!open) return null;
  return (
    <section class="pv-wizard" aria-labelledby="pv-wizard-title">
      <div class="pv-wizard-head">
        <h3 id="pv-wizard-title">Sync {open.row.subscription.productName}</h3>
        <button type="button" class="cw-button small" onClick={() => model.close()}>
          {step === 'done' ? 'Back to list' : 'Cancel'}
        </button>
      </div>
      <StepBar steps={model.steps.value} />
      <HistoryPanel model={model} wide={wide} />
      {/* On the page from the wizard's first step, so the result is announced when it arrives. */}
      <p class="sr-only" role="status">
        {announcement(model)}
      </p>
      <div ref={body}>
        {step === 'product' && <ProductStep model={model} />}
        {step === 'agreement' &&
          // A usage product (its row is judged per month) bills closed months, never a recurring addition.
          (open.row.money?.usage ? <UsageStep model={model} /> : <AdditionStep model={model} wide={wide} />)}
        {step === 'review' && <ReviewStep model={model} />}
        {step === 'done' && <DoneStep model={model} />}
      </div>
    </section>
  );
}

type Applied = ApplyResult['applied'][number];
const verb = (w: Applied) =>
  w.action === 'create' ? 'Created' : w.action === 'update' ? 'Updated' : 'Cancelled';

/** What Confirm wrote, and what the user chose to leave out: an ignored line is not synced, and says so. */
function outcome(model: WizardModel, result: ApplyResult) {
  const written = result.applied;
  const review = model.plan.value?.review ?? [];
  const ignored = result.skipped
    .filter((s) => s.reason === 'ignored')
    .map((s) => review.find((r) => r.key === s.key)?.title ?? s.key);
  const title = ignored.length
    ? `Not fully synced: ${ignored.length} ignored line${ignored.length > 1 ? 's were' : ' was'} not written`
    : written.length
      ? 'Synced to ConnectWise'
      : 'Nothing to write: already in step';
  return { written, ignored, title };
}

/** "Synced to ConnectWise: created recurring addition #683, created prorated addition #682." */
function announcement(model: WizardModel): string {
  const state = model.apply.value;
  if (state.status !== 'done') return '';
  const { written, ignored, title } = outcome(model, state.result);
  const lines = written.map(
    (w) =>
      `${verb(w).toLowerCase()} ${additionKindWords(w.kind)} addition${w.additionId !== null ? ` #${w.additionId}` : ''}`,
  );
  const left = ignored.map((i) => `not synced (ignored): ${i}`);
  const all = [...lines, ...left];
  return `${title}${all.length ? `: ${all.join(', ')}` : ''}.`;
}

function DoneStep({ model }: { model: WizardModel }) {
  const state = model.apply.value;
  if (state.status !== 'done') return null;
  const { written, ignored, title } = outcome(model, state.result);
  return (
    <Notice tone={ignored.length ? 'warn' : 'ok'} title={title} quiet>
      {written.length > 0 && (
        <ul class="pv-written">
          {written.map((w) => (
            <li key={w.key}>
              {verb(w)} {additionKindWords(w.kind)} addition{' '}
              {w.additionId !== null ? <strong>#{w.additionId}</strong> : ''}
            </li>
          ))}
        </ul>
      )}
      {ignored.length > 0 && (
        <ul class="pv-ignored">
          {ignored.map((line) => (
            <li key={line}>Not synced (ignored): {line}</li>
          ))}
        </ul>
      )}
      {ignored.length > 0 && <p>Open the sync again to write the ignored lines.</p>}
    </Notice>
  );
}
