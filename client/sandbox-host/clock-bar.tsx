// The sandbox clock in the top bar: today's date, "+1 day", "Next month" (the 1st of next month) and a date
// to jump to. Moving it runs ConnectWise's agreement invoicing and refreshes the screen, as the next day would.
import { useState } from 'preact/hooks';
import { type ClockModel, firstOfNextMonth, nextDay } from './clock-model.ts';

export function ClockBar({ clock, onMoved }: { clock: ClockModel; onMoved: () => Promise<void> | void }) {
  const today = clock.today.value;
  const [chosen, setChosen] = useState('');
  const busy = clock.busy.value || today === undefined;
  const move = async (day: string) => {
    if (await clock.moveTo(day)) await onMoved();
  };
  const status = clock.status.value;
  return (
    <section class="cw-clock" aria-label="Sandbox clock">
      <span>
        Sandbox date <strong data-testid="sandbox-today">{today ?? '…'}</strong>
      </span>
      <button
        type="button"
        class="cw-button"
        disabled={busy}
        onClick={() => today && void move(nextDay(today))}
      >
        +1 day
      </button>
      <button
        type="button"
        class="cw-button"
        disabled={busy}
        onClick={() => today && void move(firstOfNextMonth(today))}
      >
        Next month
      </button>
      <form
        class="cw-clock-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) void move(chosen);
        }}
      >
        <label>
          Move to{' '}
          <input
            type="date"
            value={chosen}
            required
            onInput={(e) => setChosen((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="cw-button" disabled={busy}>
          Go
        </button>
      </form>
      <span class={`cw-clock-status ${status?.tone ?? ''}`} role="status" aria-live="polite">
        {status?.text ?? ''}
      </span>
    </section>
  );
}
