// The wizard's progress bar, like the guide's: CONNECTION → COMPANY → PRODUCT → AGREEMENT → REVIEW.
export type Step = { id: string; label: string; detail: string; state: 'done' | 'current' | 'todo' };

export function StepBar({ steps }: { steps: readonly Step[] }) {
  return (
    <ol class="cw-steps" aria-label="Sync steps">
      {steps.map((s) => (
        <li key={s.id} class={s.state} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span class="cw-step-label">
            {s.label}
            <span class="sr-only">
              {s.state === 'done' ? ' (done)' : s.state === 'current' ? ' (current)' : ''}
            </span>
          </span>
          {s.detail && <span class="cw-step-detail">{s.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
