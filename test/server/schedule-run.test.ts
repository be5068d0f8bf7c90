// A scheduled sync through the front door (issue 11 item 3), on the demo MSP at 2020-09-20: with the schedule
// on, a tick before the time does nothing; at the time the run plans everything out of step, files the to-do
// list with its money, hands only what the rule allows to the bulk job runner (Ace's E3 2 → 4 seats, below 3),
// and leaves its summary; a second tick, or a second process, does not run it again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkRunnerOf } from '../../server/jobs/bulk-runner.ts';
import { apiContext } from '../../server/routes/api.ts';
import { createScheduler } from '../../server/schedule/scheduler.ts';
import { aceE3Subscription, figures, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now, clockSleep: true });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(() => h.close());

/** A call with a session signed now (a moved clock outlives the harness's 15-minute token). */
const call = async (method: string, path: string, body?: unknown) =>
  h.call(method, path, body, { token: await h.tokenFor(h.tenant.id) });

const e3Additions = () =>
  h
    .additionsOf(agreementId)
    .filter((a) => (a.product as { id: number }).id === 682)
    .map(figures);

/** Every addition of every agreement, by id: what a run wrote shows as a difference. */
const allAdditions = () =>
  new Map(
    [...h.cw.data.tables.agreements.rows.values()].flatMap((a) =>
      h.additionsOf(a.id as number).map((x) => [x.id as number, JSON.stringify(figures(x))] as const),
    ),
  );

async function syncE3Then4Seats() {
  const plan = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
  expect(plan.status, JSON.stringify(plan.json)).toBe(200);
  expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
  h.pax8.data.changeQuantity(subscriptionId, 4, '2020-09-20T11:00:00.000Z');
}

const schedule = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  timeOfDay: '13:00',
  timeZone: 'UTC',
  recurringSeatsBelow: 3,
  proratesUnder: null,
  ...over,
});

describe('a scheduled run', () => {
  it('files the to-do list and auto-applies only what the rule allows, once', async () => {
    await syncE3Then4Seats();
    const saved = await call('PATCH', '/api/setup/settings', { schedule: schedule() });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    expect(saved.json.schedule).toMatchObject({
      recurringSeatsBelow: 3,
      proratesUnderCents: null,
      since: '2020-09-20T12:00:00.000Z',
    });
    const before = allAdditions();
    const scheduler = createScheduler(h.ctx);
    // 12:59: not yet due (and the 09/19 13:00 instant is before the schedule was saved).
    h.setNow(new Date('2020-09-20T12:59:00.000Z'));
    expect(await scheduler.tick()).toEqual([]);

    h.setNow(new Date('2020-09-20T13:00:00.000Z'));
    const [run, ...more] = await scheduler.tick();
    expect(more).toEqual([]);
    expect(run).toMatchObject({ slot: '2020-09-20T13:00:00.000Z', state: 'done' });
    await bulkRunnerOf(h.ctx).idle();

    // Only E3's recurring addition changed in ConnectWise: 2 → 4 seats, same price; nothing else was written.
    const after = allAdditions();
    const changed = [...after].filter(([id, f]) => before.get(id) !== f).map(([id]) => id);
    expect([...after.keys()].filter((id) => !before.has(id))).toEqual([]);
    const recurring = e3Additions().find((a) => a.cancelledDate === null && a.quantity === 4);
    expect(recurring).toMatchObject({ quantity: 4, unitPrice: 25, unitCost: 20 });
    expect(changed).toHaveLength(1);

    const seen = await call('GET', '/api/schedule');
    expect(seen.status).toBe(200);
    const todos = seen.json.todos as {
      subscriptionId: string;
      reason: string;
      line: Record<string, string>;
    }[];
    // E3's 2 new seats' prorate waits (no prorate rule); its recurring update is not on the list.
    const e3Todos = todos.filter((t) => t.subscriptionId === subscriptionId);
    expect(e3Todos.map((t) => [t.line.kind, t.line.action, t.line.totalPrice, t.reason])).toEqual([
      ['prorate', 'create', '16.66', 'prorate of $16.66: no rule auto-applies prorates'],
    ]);
    const summary = seen.json.runs[0].summary;
    expect(summary.autoApplied).toEqual({
      lines: 1,
      price: '100.00',
      rules: ['recurring quantity 2 → 4 (2 seats), below 3 seats'],
    });
    expect(summary.waiting.lines).toBe(todos.length);
    expect(summary.proposed.lines).toBe(todos.length + 1);
    expect(seen.json.runs[0].job).toMatchObject({ state: 'done', total: 1, done: 1, failed: 0 });
    expect(seen.json.nextRunAt).toBe('2020-09-21T13:00:00.000Z');

    // A second tick, and a second process's scheduler, find the run made: nothing runs twice.
    expect(await scheduler.tick()).toEqual([]);
    expect(await createScheduler(apiContext({ ...h.ctx })).tick()).toEqual([]);
    expect((await call('GET', '/api/schedule')).json.runs).toHaveLength(1);
  });

  it('two schedulers ticking at once over one store run a due schedule once', async () => {
    await call('PATCH', '/api/setup/settings', { schedule: schedule({ recurringSeatsBelow: null }) });
    h.setNow(new Date('2020-09-20T13:00:30.000Z'));
    const [a, b] = await Promise.all([createScheduler(h.ctx).tick(), createScheduler(h.ctx).tick()]);
    expect([...a, ...b].map((r) => r.slot)).toEqual(['2020-09-20T13:00:00.000Z']);
    const runs = (await call('GET', '/api/schedule')).json.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].job).toBeNull();
  });

  it('a run left running by a dead process is run again once it is 30 minutes stale, never sooner', async () => {
    await syncE3Then4Seats();
    await call('PATCH', '/api/setup/settings', { schedule: schedule() });
    // A process claimed the 13:00 run at 13:00 and died before it planned anything.
    h.setNow(new Date('2020-09-20T13:00:00.000Z'));
    await h.repos.scheduleRuns.claim(h.tenant.id, '2020-09-20T13:00:00.000Z', 'scheduler:dead');
    h.setNow(new Date('2020-09-20T13:29:59.000Z'));
    const scheduler = createScheduler(h.ctx);
    expect(await scheduler.tick()).toEqual([]);
    expect(e3Additions().filter((a) => a.quantity === 4)).toEqual([]);

    h.setNow(new Date('2020-09-20T13:30:01.000Z'));
    const [run, ...more] = await scheduler.tick();
    expect(more).toEqual([]);
    expect(run).toMatchObject({ slot: '2020-09-20T13:00:00.000Z', state: 'done', owner: scheduler.owner });
    await bulkRunnerOf(h.ctx).idle();
    expect(e3Additions().filter((a) => a.quantity === 4 && a.cancelledDate === null)).toHaveLength(1);
    const seen = (await call('GET', '/api/schedule')).json;
    expect(seen.runs).toHaveLength(1);
    expect(seen.runs[0].summary.autoApplied.lines).toBe(1);
    // Finished now: a later tick leaves it.
    h.setNow(new Date('2020-09-20T14:30:00.000Z'));
    expect(await scheduler.tick()).toEqual([]);
  });

  it('off by default: no run, whatever the time', async () => {
    h.setNow(new Date('2020-09-25T13:00:00.000Z'));
    expect(await createScheduler(h.ctx).tick()).toEqual([]);
    const seen = await call('GET', '/api/schedule');
    expect(seen.json).toMatchObject({ schedule: null, nextRunAt: null, runs: [], todos: [] });
  });

  it('to-dos are dismissed once, never approved by the close route; a bad body is a 400 naming the field', async () => {
    await syncE3Then4Seats();
    await call('PATCH', '/api/setup/settings', { schedule: schedule({ recurringSeatsBelow: null }) });
    h.setNow(new Date('2020-09-20T13:00:00.000Z'));
    await createScheduler(h.ctx).tick();
    const todos = (await call('GET', '/api/schedule')).json.todos as { id: string; subscriptionId: string }[];
    const e3 = todos.filter((t) => t.subscriptionId === subscriptionId).map((t) => t.id);
    expect(e3).toHaveLength(2); // the recurring update waits too now: no seat rule
    const dismissed = await call('POST', '/api/schedule/todos/close', { ids: e3, as: 'dismissed' });
    expect(dismissed.json).toEqual({ closed: 2 });
    expect((await call('POST', '/api/schedule/todos/close', { ids: e3, as: 'dismissed' })).json).toEqual({
      closed: 0,
    });
    // Approving is confirming a review, not a call of its own.
    const approve = await call('POST', '/api/schedule/todos/close', { ids: e3, as: 'approved' });
    expect(approve.status).toBe(400);
    expect(JSON.stringify(approve.json)).toContain('confirming the bulk review');
    const left = (await call('GET', '/api/schedule')).json.todos as { id: string }[];
    expect(left).toHaveLength(todos.length - 2);
    const bad = await call('POST', '/api/schedule/todos/close', { ids: ['x'], as: 'later' });
    expect(bad.status).toBe(400);
    const badTime = await call('PATCH', '/api/setup/settings', {
      schedule: schedule({ timeOfDay: '25:00', timeZone: 'Mars/Olympus' }),
    });
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(badTime.json)).toContain('HH:MM');
  });

  it('"Review selected" leaves the to-dos open until the review is confirmed; confirming approves them once', async () => {
    await syncE3Then4Seats();
    await call('PATCH', '/api/setup/settings', { schedule: schedule({ recurringSeatsBelow: null }) });
    h.setNow(new Date('2020-09-20T13:00:00.000Z'));
    await createScheduler(h.ctx).tick();
    type Todo = { id: string; subscriptionId: string };
    const open = async () => ((await call('GET', '/api/schedule')).json.todos as Todo[]).map((t) => t.id);
    const all = await open();
    const e3 = ((await call('GET', '/api/schedule')).json.todos as Todo[])
      .filter((t) => t.subscriptionId === subscriptionId)
      .map((t) => t.id);
    expect(e3).toHaveLength(2);
    const review = async () => {
      const res = await call('POST', '/api/bulk/plan', { items: [{ subscriptionId, agreementId }] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json as { planId: string; groups: { lines: { id: string }[] }[] };
    };
    const finished = async (jobId: string) => {
      for (let i = 0; i < 4000; i++) {
        if ((await call('GET', `/api/bulk/jobs/${jobId}`)).json.state === 'done') return;
        await new Promise((r) => setTimeout(r, 2));
      }
      throw new Error(`job ${jobId} did not finish`);
    };

    // The review opened (and left unconfirmed): nothing is approved, nothing written.
    const before = e3Additions();
    const first = await review();
    expect(await open()).toEqual(all);
    // Confirmed with every line ignored: the job writes nothing, so the to-dos still wait.
    const ignoredAll = await call('POST', '/api/bulk/jobs', {
      planId: first.planId,
      ignoredLineIds: first.groups.flatMap((g) => g.lines.map((l) => l.id)),
    });
    expect(ignoredAll.status, JSON.stringify(ignoredAll.json)).toBe(202);
    await finished(ignoredAll.json.id);
    expect(await open()).toEqual(all);
    expect(e3Additions()).toEqual(before);

    // Confirmed with its lines kept: the two E3 to-dos close as approved, the others stay; a re-confirm
    // (double click) closes nothing more.
    const second = await review();
    const confirmed = await call('POST', '/api/bulk/jobs', { planId: second.planId });
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(202);
    expect(await open()).toEqual(all.filter((id) => !e3.includes(id)));
    const again = await call('POST', '/api/bulk/jobs', { planId: second.planId });
    expect(again.status).toBe(200);
    await finished(confirmed.json.id);
    // …and its job wrote them: Ace's E3 is 4 seats now.
    expect(e3Additions().filter((a) => a.quantity === 4 && a.cancelledDate === null)).toHaveLength(1);
    expect(e3Additions().filter((a) => a.quantity === 2 && a.cancelledDate === null)).toEqual([]);
    const approved = await h.ctx.store.db
      .selectFrom('schedule_todos')
      .select(['id', 'state'])
      .where('state', '=', 'approved')
      .execute();
    expect(approved.map((t) => t.id).sort()).toEqual([...e3].sort());
    const audit = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'schedule.todos.approved')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
