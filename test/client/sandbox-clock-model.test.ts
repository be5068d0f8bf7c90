// The host page's sandbox clock model: the "+1 day" and "Next month" dates, and moving the clock over
// /sandbox/clock with the outcome in words.
import { describe, expect, it } from 'vitest';
import { createClockModel, firstOfNextMonth, nextDay } from '../../client/sandbox-host/clock-model.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('clock dates', () => {
  it.each([
    ['2026-11-20', '2026-11-21', '2026-12-01'],
    ['2026-12-31', '2027-01-01', '2027-01-01'],
    ['2028-02-28', '2028-02-29', '2028-03-01'],
    ['2027-02-28', '2027-03-01', '2027-03-01'],
    ['2027-01-31', '2027-02-01', '2027-02-01'],
  ])('from %s: +1 day is %s, next month is %s', (today, day, month) => {
    expect(nextDay(today)).toBe(day);
    expect(firstOfNextMonth(today)).toBe(month);
  });
});

describe('createClockModel', () => {
  it('starts on the date the host page carries, asking nothing', () => {
    const calls: string[] = [];
    const clock = createClockModel(async (url) => {
      calls.push(url);
      return json(200, { today: '2026-11-21' });
    }, '2026-11-20');
    expect(clock.today.value).toBe('2026-11-20');
    expect(calls).toEqual([]);
  });

  it('reads today, moves the clock and says how many invoices ran', async () => {
    const calls: string[] = [];
    const clock = createClockModel(async (url, init) => {
      calls.push(`${init?.method ?? 'GET'} ${url} ${init?.body ?? ''}`.trim());
      return init?.method === 'POST'
        ? json(200, { today: '2026-12-01', invoices: 20 })
        : json(200, { today: '2026-11-20' });
    });
    await clock.load();
    expect(clock.today.value).toBe('2026-11-20');
    expect(await clock.moveTo('2026-12-01')).toBe(true);
    expect(calls).toEqual(['GET /sandbox/clock', 'POST /sandbox/clock {"today":"2026-12-01"}']);
    expect(clock.today.value).toBe('2026-12-01');
    expect(clock.status.value).toEqual({
      tone: 'ok',
      text: 'Sandbox date is now 2026-12-01: 20 agreement invoices run.',
    });
    expect(clock.busy.value).toBe(false);
  });

  it('shows the server message when the move is refused and keeps today', async () => {
    const clock = createClockModel(async (_url, init) =>
      init?.method === 'POST'
        ? json(400, { error: { code: 'bad_request', message: 'The sandbox clock only moves forward' } })
        : json(200, { today: '2026-11-20' }),
    );
    await clock.load();
    expect(await clock.moveTo('2026-11-01')).toBe(false);
    expect(clock.today.value).toBe('2026-11-20');
    expect(clock.status.value).toEqual({ tone: 'error', text: 'The sandbox clock only moves forward' });
  });

  it('loads the invoices of one agreement', async () => {
    const invoice = {
      date: '2026-12-01',
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      lines: [{ additionId: 3, description: 'E3', quantity: 2, unitPrice: '25.00', amount: '50.00' }],
      total: '50.00',
    };
    const clock = createClockModel(async (url) =>
      url === '/sandbox/cw/_invoices?agreementId=7' ? json(200, [invoice]) : json(404, {}),
    );
    await clock.loadInvoices(7);
    expect(clock.invoices.value).toEqual({ agreementId: 7, list: [invoice] });
    await clock.loadInvoices(8);
    expect(clock.invoicesError.value).toBe('The sandbox answered 404');
  });
});
