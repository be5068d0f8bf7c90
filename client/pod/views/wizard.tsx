// The sync wizard's frame: the step bar, the current step, and what was written after Confirm Sync.
import { useEffect, useRef } from 'preact/hooks';
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
      <div ref={body}>
        {step === 'product' && <ProductStep model={model} />}
        {step === 'agreement' && <AdditionStep model={model} wide={wide} />}
        {step === 'review' && <ReviewStep model={model} />}
        {step === 'done' && <DoneStep model={model} />}
      </div>
    </section>
  );
}

function DoneStep({ model }: { model: WizardModel }) {
  const state = model.apply.value;
  if (state.status !== 'done') return null;
  const written = state.result.applied;
  return (
    <Notice tone="ok" title={written.length ? 'Synced to ConnectWise' : 'Nothing to write: already in step'}>
      {written.length > 0 && (
        <ul class="pv-written">
          {written.map((w) => (
            <li key={w.key}>
              {w.action === 'create' ? 'Created' : w.action === 'update' ? 'Updated' : 'Cancelled'} {w.kind}{' '}
              addition {w.additionId !== null ? <strong>#{w.additionId}</strong> : ''}
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
