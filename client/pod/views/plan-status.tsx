// The plan's state under a wizard step's form: "Updating the plan…" while it plans, and a failed plan with Retry.
import type { WizardModel } from '../../state/wizard-model.ts';
import { Notice } from '../../ui/notice.tsx';

export function PlanStatus({ model }: { model: WizardModel }) {
  const planState = model.planState.value;
  return (
    <>
      <div aria-live="polite" class="pv-status">
        {planState.status === 'planning' && (
          <p>
            <span class="cw-spinner" aria-hidden="true" />
            Updating the plan…
          </p>
        )}
      </div>
      {planState.status === 'error' && (
        <Notice
          tone="error"
          title="Could not plan the sync"
          action={{ label: 'Retry', onClick: () => void model.replan() }}
        >
          <p>{planState.message}</p>
        </Notice>
      )}
    </>
  );
}
