// The scheduled sync on the page over a fake /api: the to-do list with its money and reasons, approve the
// selected (the bulk review opened with their subscriptions once each; the to-dos stay open until it is confirmed) or dismiss them,
// the run summary; and the Settings form saving the schedule with its amount as text and empty rules as null.
import { render } from 'preact';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ScheduleForm, ScheduleTodos } from '../../client/app/schedule-section.tsx';
import type { Api } from '../../client/state/api.ts';
import type { BulkItem } from '../../client/state/bulk-model.ts';
import { createScheduleModel } from '../../client/state/schedule-model.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { flush } from './pod-fakes.ts';

const line = (title: string, totalPrice: string, kind = 'prorate') => ({
  productName: 'Microsoft 365 E3',
  title,
  kind,
  action: 'create',
  quantity: 2,
  totalPrice,
});

const view = (todos: unknown[]) => ({
  schedule: {
    enabled: true,
    timeOfDay: '13:00',
    timeZone: 'UTC',
    recurringSeatsBelow: 3,
    proratesUnderCents: null,
  },
  nextRunAt: '2020-09-21T13:00:00.000Z',
  runs: [
    {
      id: 'r1',
      slot: '2020-09-20T13:00:00.000Z',
      state: 'done',
      summary: {
        checked: 72,
        outOfStep: 2,
        proposed: { lines: 3, price: '133.32' },
        autoApplied: {
          lines: 1,
          price: '100.00',
          rules: ['recurring quantity 2 → 4 (2 seats), below 3 seats'],
        },
        waiting: { lines: 2, price: '33.32' },
        refused: [{ subscriptionId: 's9', code: 'company_not_bound', message: 'Bind its company first' }],
        statement: '',
      },
      job: { id: 'j1', state: 'done', total: 1, done: 1, failed: 0 },
    },
  ],
  todos,
});

const todoA = {
  id: 'a',
  subscriptionId: 's1',
  agreementId: 7,
  reason: 'prorate of $16.66: no rule',
  line: line('Prorate', '16.66'),
};
const todoB = {
  id: 'b',
  subscriptionId: 's1',
  agreementId: 7,
  reason: 'create of a extra line',
  line: line('Back-bill', '16.66', 'extra'),
};
const todoC = {
  id: 'c',
  subscriptionId: 's2',
  agreementId: 8,
  reason: 'below the margin floor',
  line: line('Prorate', '5.00'),
};

function fakeApi() {
  let todos = [todoA, todoB, todoC];
  const calls: { method: string; path: string; body: unknown }[] = [];
  const answer = (method: string, path: string, body?: unknown): unknown => {
    calls.push({ method, path, body });
    if (method === 'GET' && path === '/api/schedule') return view(todos);
    if (method === 'POST' && path === '/api/schedule/todos/close') {
      const ids = (body as { ids: string[] }).ids;
      todos = todos.filter((t) => !ids.includes(t.id));
      return { closed: ids.length };
    }
    if (method === 'PATCH' && path === '/api/setup/settings') return {};
    throw new Error(`unexpected ${method} ${path}`);
  };
  const parse = <T,>(schema: v.GenericSchema<unknown, T> | undefined, x: unknown) =>
    (schema ? v.parse(schema, x) : x) as T;
  const api: Api = {
    request: async (method, path, o) => parse(o?.schema, answer(method, path, o?.body)),
    get: async (path, schema) => parse(schema, answer('GET', path)),
    post: async (path, body, schema) => parse(schema, answer('POST', path, body)),
  };
  return { api, calls };
}

describe('the scheduled sync to-do list', () => {
  const host = useMountPoint();

  it('lists each waiting line with its money and why; "Review selected" opens one review and leaves them open', async () => {
    const { api, calls } = fakeApi();
    const reviewed: BulkItem[][] = [];
    const model = createScheduleModel({ api, review: (items) => reviewed.push(items) });
    render(<ScheduleTodos model={model} />, host);
    await flush();
    expect(text(host.querySelector('h3'))).toBe('Scheduled sync: to-do (3)');
    const rows = [...host.querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll('th, td')].slice(1).map(text),
    );
    expect(rows).toEqual([
      ['Microsoft 365 E3 · Prorate', '2', '$16.66', 'prorate of $16.66: no rule'],
      ['Microsoft 365 E3 · Back-bill', '2', '$16.66', 'create of a extra line'],
      ['Microsoft 365 E3 · Prorate', '2', '$5.00', 'below the margin floor'],
    ]);
    expect(text(host.querySelector('.app-schedule-runs li'))).toContain(
      '3 proposed ($133.32), 1 auto-applied ($100.00) — 1 of 1 written, 2 waiting ($33.32), 1 refused.',
    );
    const review = [...host.querySelectorAll('button')].find((b) => text(b).startsWith('Review selected'))!;
    expect(review.disabled).toBe(true);
    // Selecting by the row's label (its checkbox is labelled by the product).
    (host.querySelector('#todo-a') as HTMLInputElement).click();
    (host.querySelector('#todo-b') as HTMLInputElement).click();
    await flush();
    expect(text(review)).toBe('Review selected (2)');
    review.click();
    await flush();
    // Nothing is closed by opening the review: the server approves them when it is confirmed.
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(reviewed).toEqual([[{ subscriptionId: 's1', agreementId: 7 }]]);
    expect(text(host.querySelector('h3'))).toBe('Scheduled sync: to-do (3)');
    expect(text(review)).toBe('Review selected (0)');
    expect(host.textContent).toContain('2 to-do(s) opened in the review: they close when it is confirmed.');
  });

  it('select all, then dismiss, announces it', async () => {
    const { api, calls } = fakeApi();
    const model = createScheduleModel({ api, review: () => {} });
    render(<ScheduleTodos model={model} />, host);
    await flush();
    (host.querySelector('input[aria-label="Select every to-do"]') as HTMLInputElement).click();
    await flush();
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Dismiss selected')!.click();
    await flush();
    expect(calls.at(-2)).toEqual({
      method: 'POST',
      path: '/api/schedule/todos/close',
      body: { ids: ['a', 'b', 'c'], as: 'dismissed' },
    });
    expect(text(host.querySelector('[role="status"]'))).toBe('3 to-do(s) dismissed.');
  });
});

describe('the scheduled sync form', () => {
  const host = useMountPoint();

  it('shows the saved schedule and saves it: the amount as text, an empty rule as null', async () => {
    const { api, calls } = fakeApi();
    const model = createScheduleModel({ api, review: () => {} });
    render(<ScheduleForm model={model} />, host);
    await flush();
    const input = (id: string) => host.querySelector(`#${id}`) as HTMLInputElement;
    expect([
      input('schedule-enabled').checked,
      input('schedule-time').value,
      input('schedule-zone').value,
    ]).toEqual([true, '13:00', 'UTC']);
    expect(input('schedule-seats').value).toBe('3');
    expect(text(host)).toContain('Next run: 09/21/2020 13:00 UTC');
    for (const id of [
      'schedule-enabled',
      'schedule-time',
      'schedule-zone',
      'schedule-seats',
      'schedule-prorates',
    ]) {
      expect(host.querySelector(`label[for="${id}"]`), id).not.toBeNull();
    }
    model.set('proratesUnder', '20.00');
    model.set('recurringSeatsBelow', '');
    (host.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await flush();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      schedule: {
        enabled: true,
        timeOfDay: '13:00',
        timeZone: 'UTC',
        recurringSeatsBelow: null,
        proratesUnder: '20.00',
      },
    });
    expect(text(host.querySelector('[role="status"]'))).toBe('Saved. The scheduled sync is on.');
  });
});
