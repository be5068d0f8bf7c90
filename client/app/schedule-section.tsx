// The scheduled sync on the page: its form on the Settings tab, and on the out-of-step list the to-do list a run
// left (approve the selected into the bulk review, or dismiss them) with the latest runs' summaries.
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Run, ScheduleModel, Todo } from '../state/schedule-model.ts';
import { checkedTime } from './unsynced-section.tsx';
import './schedule-section.css';

function useLoaded(model: ScheduleModel) {
  useEffect(() => {
    if (model.loaded.peek().status === 'idle') void model.load();
  }, [model]);
}

export function ScheduleForm({ model }: { model: ScheduleModel }) {
  useLoaded(model);
  const d = model.draft.value;
  const l = model.loaded.value;
  const onSubmit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void model.save();
  };
  return (
    <form class="app-settings-form app-schedule-form" aria-labelledby="schedule-head" onSubmit={onSubmit}>
      <h3 id="schedule-head">Scheduled sync</h3>
      <p class="app-hint">
        Off by default. Once a day the server checks every subscription, writes only what the rules below
        allow, and leaves everything else on the to-do list of Unsynced Subscriptions for a person.
      </p>
      <fieldset>
        <legend>When</legend>
        <p>
          <input
            type="checkbox"
            id="schedule-enabled"
            checked={d.enabled}
            onChange={(e) => model.set('enabled', e.currentTarget.checked)}
          />{' '}
          <label for="schedule-enabled">Run a scheduled sync every day</label>
        </p>
        <p class="app-schedule-row">
          <label for="schedule-time">Time of day</label>
          <input
            id="schedule-time"
            class="cw-input"
            type="time"
            required
            value={d.timeOfDay}
            onInput={(e) => model.set('timeOfDay', e.currentTarget.value)}
          />
          <label for="schedule-zone">Time zone</label>
          <input
            id="schedule-zone"
            class="cw-input"
            aria-describedby="schedule-zone-hint"
            value={d.timeZone}
            onInput={(e) => model.set('timeZone', e.currentTarget.value)}
          />
          <span id="schedule-zone-hint" class="app-hint">
            e.g. UTC, America/New_York
          </span>
        </p>
        {l.status === 'ready' && l.view.nextRunAt && (
          <p class="app-hint">Next run: {checkedTime(l.view.nextRunAt)}</p>
        )}
      </fieldset>
      <fieldset>
        <legend>Apply without a person</legend>
        <p class="app-schedule-row">
          <label for="schedule-seats">Recurring quantity updates below</label>
          <input
            id="schedule-seats"
            class="cw-input app-schedule-num"
            inputMode="numeric"
            aria-describedby="schedule-seats-hint"
            value={d.recurringSeatsBelow}
            onInput={(e) => model.set('recurringSeatsBelow', e.currentTarget.value)}
          />
          <span id="schedule-seats-hint" class="app-hint">
            seats (empty: never)
          </span>
        </p>
        <p class="app-schedule-row">
          <label for="schedule-prorates">Prorates under $</label>
          <input
            id="schedule-prorates"
            class="cw-input app-schedule-num"
            inputMode="decimal"
            aria-describedby="schedule-prorates-hint"
            value={d.proratesUnder}
            onInput={(e) => model.set('proratesUnder', e.currentTarget.value)}
          />
          <span id="schedule-prorates-hint" class="app-hint">
            (empty: never)
          </span>
        </p>
      </fieldset>
      <p class="app-actions">
        <button type="submit" class="cw-button primary" disabled={model.busy.value}>
          Save schedule
        </button>
      </p>
      <p class="app-saved" role="status">
        {model.message.value}
      </p>
    </form>
  );
}

function RunLine({ run }: { run: Run }) {
  const s = run.summary;
  const when = checkedTime(run.slot);
  if (!s || 'error' in s) {
    return (
      <li>
        {when}:{' '}
        {run.state === 'running' ? 'running…' : `failed — ${s && 'error' in s ? s.error : 'no summary'}`}
      </li>
    );
  }
  return (
    <li>
      <strong>{when}</strong>: {s.proposed.lines} proposed (${s.proposed.price}), {s.autoApplied.lines}{' '}
      auto-applied (${s.autoApplied.price})
      {run.job &&
        ` — ${run.job.done} of ${run.job.total} written${run.job.failed ? `, ${run.job.failed} failed` : ''}`}
      , {s.waiting.lines} waiting (${s.waiting.price}), {s.refused.length} refused.
      {s.autoApplied.rules.length > 0 && (
        <span class="app-hint"> Rules: {s.autoApplied.rules.join('; ')}.</span>
      )}
      {s.refused.length > 0 && (
        <details>
          <summary>Refused and why</summary>
          <ul>
            {s.refused.map((r) => (
              <li key={r.subscriptionId}>
                <span class="app-id">{r.subscriptionId}</span>: {r.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

function TodoRow({ todo, model }: { todo: Todo; model: ScheduleModel }) {
  const id = `todo-${todo.id}`;
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          id={id}
          checked={model.selected.value.has(todo.id)}
          onChange={() => model.toggle(todo.id)}
        />
      </td>
      <th scope="row" class="app-rowhead">
        <label for={id}>{todo.line.productName || todo.subscriptionId}</label>
        <span class="app-status"> · {todo.line.title}</span>
      </th>
      <td class="num">{todo.line.quantity}</td>
      <td class="num">${todo.line.totalPrice}</td>
      <td>{todo.reason}</td>
    </tr>
  );
}

export function ScheduleTodos({ model }: { model: ScheduleModel }) {
  // Fresh on every visit: a run may have filed a new list since.
  useEffect(() => {
    void model.load();
  }, [model]);
  const l = model.loaded.value;
  // While a run plans or its auto-apply job writes, look again every 2 s so its summary fills in.
  const busy =
    l.status === 'ready' &&
    l.view.runs.some((r) => r.state === 'running' || (r.job && r.job.state !== 'done'));
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void model.load(), 2_000);
    return () => clearInterval(timer);
  }, [busy, model]);
  if (l.status !== 'ready') return null;
  const { todos, runs } = l.view;
  if (todos.length === 0 && runs.length === 0) return null;
  const chosen = model.selected.value.size;
  const all = todos.length > 0 && chosen === todos.length;
  return (
    <section class="app-schedule" aria-labelledby="schedule-todo-head">
      <h3 id="schedule-todo-head">Scheduled sync: to-do ({todos.length})</h3>
      {todos.length > 0 && (
        <>
          <div class="app-actions">
            <button
              type="button"
              class="cw-button primary"
              disabled={chosen === 0 || model.busy.value}
              onClick={() => void model.approve()}
            >
              Review selected ({chosen})
            </button>
            <button
              type="button"
              class="cw-button"
              disabled={chosen === 0 || model.busy.value}
              onClick={() => void model.dismiss()}
            >
              Dismiss selected
            </button>
          </div>
          <div class="app-schedule-scroll">
            <table class="app-table app-schedule-table">
              <caption class="sr-only">Lines the scheduled sync left for a person</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select every to-do"
                      checked={all}
                      onChange={(e) => model.selectAll(e.currentTarget.checked)}
                    />
                  </th>
                  <th scope="col">Line</th>
                  <th scope="col" class="num">
                    Qty
                  </th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                  <th scope="col">Why it waits</th>
                </tr>
              </thead>
              <tbody>
                {todos.map((t) => (
                  <TodoRow key={t.id} todo={t} model={model} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {runs.length > 0 && (
        <>
          <h4>Latest runs</h4>
          <ul class="app-schedule-runs">
            {runs.slice(0, 5).map((r) => (
              <RunLine key={r.id} run={r} />
            ))}
          </ul>
        </>
      )}
      <p class="sr-only" role="status">
        {model.message.value}
      </p>
    </section>
  );
}
