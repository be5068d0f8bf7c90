// The sync wizard's frame: the step bar, the current step, and what was written after Confirm Sync.
import { useEffect, useRef } from 'preact/hooks';
import type { ApplyResult } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { Notice } from '../../ui/notice.tsx';
import { StepBar } from '../../ui/step-bar.tsx';
import { AdditionStep } from './addition-step.tsx';
import { HistoryPanel } from './history-panel.tsx';
import { ProductStep } from './product-step.tsx';
import { ReviewStep } from './review-step.tsx';

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
      <HistoryPanel model={model} />
      {/* On the page from the wizard's first step, so the result is announced when it arrives. */}
      <p class="sr-only" role="status">
        {announcement(model)}
      </p>
      <div ref={body}>
        {step === 'product' && <ProductStep model={model} />}
        {step === 'agreement' && <AdditionStep model={model} wide={wide} />}
        {step === 'review' && <ReviewStep model={model} />}
        {step === 'done' && <DoneStep model={model} />}
      </div>
    </section>
  );
}

type Applied = ApplyResult['applied'][number];
const verb = (w: Applied) =>
  w.action === 'create' ? 'Created' : w.action === 'update' ? 'Updated' : 'Cancelled';
const doneTitle = (written: readonly Applied[]) =>
  written.length ? 'Synced to ConnectWise' : 'Nothing to write: already in step';

/** "Synced to ConnectWise: created recurring addition #683, created prorate addition #682." */
function announcement(model: WizardModel): string {
  const state = model.apply.value;
  if (state.status !== 'done') return '';
  const written = state.result.applied;
  const lines = written.map(
    (w) => `${verb(w).toLowerCase()} ${w.kind} addition${w.additionId !== null ? ` #${w.additionId}` : ''}`,
  );
  return `${doneTitle(written)}${lines.length ? `: ${lines.join(', ')}` : ''}.`;
}

function DoneStep({ model }: { model: WizardModel }) {
  const state = model.apply.value;
  if (state.status !== 'done') return null;
  const written = state.result.applied;
  return (
    <Notice tone="ok" title={doneTitle(written)} quiet>
      {written.length > 0 && (
        <ul class="pv-written">
          {written.map((w) => (
            <li key={w.key}>
              {verb(w)} {w.kind} addition {w.additionId !== null ? <strong>#{w.additionId}</strong> : ''}
            </li>
          ))}
        </ul>
      )}
      {state.result.skipped.length > 0 && (
        <p>{state.result.skipped.length} line(s) ignored or already written.</p>
      )}
    </Notice>
  );
}
