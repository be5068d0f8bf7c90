// The sandbox clock (server/sandbox/clock.ts) and its routes: GET/POST /sandbox/clock move one clock shared by
// both emulators; moving it runs the emulated ConnectWise's agreement invoicing; Pax8 writes are dated by it.
import { describe, expect, it } from 'vitest';
import { createSandboxClock, isCalendarDay } from '../../server/sandbox/clock.ts';
import { createSandbox } from '../../server/sandbox/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/index.ts';

function setup(today = '2026-11-20') {
  // The real time source is fake: 2031, late in the evening, so nothing here depends on the machine's date.
  let real = Date.parse('2031-07-04T21:30:00Z');
  const clock = createSandboxClock({ today, realNow: () => new Date(real) });
  const sandbox = createSandbox({ clock, distDir: '/nonexistent' });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await sandbox.app.request(path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  const agreement = (name: string) =>
    [...sandbox.cw.data.tables.agreements.rows.values()].find((a) => a.name === name)!;
  return {
    sandbox,
    call,
    agreement,
    elapse: (seconds: number) => {
      real += seconds * 1000;
    },
  };
}

describe('the sandbox clock', () => {
  it('starts at the chosen date at noon and keeps ticking in real seconds', () => {
    let real = Date.parse('2031-07-04T21:30:00Z');
    const clock = createSandboxClock({ today: '2028-02-29', realNow: () => new Date(real) });
    expect(clock.now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2028-02-29T12:01:30.000Z');
    real += 12 * 3600_000;
    expect(clock.today()).toBe('2028-03-01');
    clock.setToday('2028-12-31');
    expect(clock.now().toISOString()).toBe('2028-12-31T12:00:00.000Z');
  });

  it('is the real time when no date is chosen', () => {
    const clock = createSandboxClock({ realNow: () => new Date('2031-07-04T21:30:00Z') });
    expect(clock.now().toISOString()).toBe('2031-07-04T21:30:00.000Z');
  });

  it('takes only real dates', () => {
    expect(['2028-02-29', '2026-12-31'].map(isCalendarDay)).toEqual([true, true]);
    expect(['2027-02-29', '2026-13-01', '2026-1-1', '2026-11-20T00:00:00Z', ''].map(isCalendarDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => createSandboxClock({ today: '2027-02-30' })).toThrow('2027-02-30');
  });
});

describe('GET and POST /clock', () => {
  it('reads today and moves it forward', async () => {
    const s = setup();
    expect(await s.call('GET', '/clock')).toEqual({ status: 200, body: { today: '2026-11-20' } });
    const moved = await s.call('POST', '/clock', { today: '2026-11-25' });
    expect(moved).toEqual({ status: 200, body: { today: '2026-11-25', invoices: 0 } });
    expect((await s.call('GET', '/clock')).body.today).toBe('2026-11-25');
    expect(s.sandbox.clock.now().toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it.each([
    ['a date that does not exist', { today: '2027-02-29' }],
    ['another format', { today: '25/11/2026' }],
    ['no date', {}],
    ['not JSON', 'today=2026-11-25'],
    ['a date before today', { today: '2026-11-19' }],
    // Moving invoices every month on the way: year 9999 was a 500 (a date past JS's range mid-run) with the clock
    // left there, so every emulated ConnectWise call after it was a 500 too; year 2600 was 216,000 invoices.
    ['a date after 2099-12-31', { today: '9999-12-31' }],
    ['a far date', { today: '2600-01-01' }],
  ])('answers 400 to %s and leaves the clock alone', async (_name, body) => {
    const s = setup();
    const res = await s.call('POST', '/clock', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect((await s.call('GET', '/clock')).body.today).toBe('2026-11-20');
  });
});

describe('the emulated ConnectWise invoices agreements as the clock passes their next invoice date', () => {
  it('bills Ace Monthly on Dec 1 and Jan 1, advances the next invoice date, and shows the invoices', async () => {
    const s = setup();
    const ace = s.agreement('Ace Monthly');
    expect(ace.nextInvoiceDate).toBe('2026-12-01T00:00:00Z');
    const additions = [...s.sandbox.cw.data.tables.additions.rows.values()].filter(
      (a) => a.agreementId === ace.id,
    );
    expect(additions.length).toBeGreaterThan(1);
    // A seat change synced as the guide does: a one-time prorate line in December.
    const { id: _id, ...template } = additions[0]!;
    s.sandbox.cw.data.insert('additions', {
      ...template,
      quantity: 1,
      unitPrice: 17.5,
      invoiceDescription: 'Prorated for December',
      effectiveDate: '2026-12-01T00:00:00Z',
      cancelledDate: '2026-12-31T00:00:00Z',
    });
    expect((await s.call('GET', `/cw/_invoices?agreementId=${ace.id}`)).body).toEqual([]);

    const moved = await s.call('POST', '/clock', { today: '2027-01-05' });
    expect(moved.status).toBe(200);
    expect(ace.nextInvoiceDate).toBe('2027-02-01T00:00:00Z');
    const invoices = (await s.call('GET', `/cw/_invoices?agreementId=${ace.id}`)).body;
    expect(
      invoices.map((i: { date: string; periodStart: string; periodEnd: string }) => [
        i.date,
        i.periodStart,
        i.periodEnd,
      ]),
    ).toEqual([
      ['2026-12-01', '2026-12-01', '2026-12-31'],
      ['2027-01-01', '2027-01-01', '2027-01-31'],
    ]);
    const [dec, jan] = invoices;
    const recurring = additions.map((a) => ({
      additionId: a.id,
      description: a.invoiceDescription,
      quantity: a.quantity,
      unitPrice: (a.unitPrice as number).toFixed(2),
      amount: ((a.quantity as number) * (a.unitPrice as number)).toFixed(2),
    }));
    expect(jan.lines).toEqual(recurring);
    expect(dec.lines).toEqual([
      ...recurring,
      expect.objectContaining({ description: 'Prorated for December', quantity: 1, amount: '17.50' }),
    ]);
    const sum = (lines: { amount: string }[]) =>
      lines.reduce((t, l) => t + Math.round(Number(l.amount) * 100), 0);
    expect(Math.round(Number(dec.total) * 100)).toBe(sum(dec.lines));
    expect(Math.round(Number(dec.total) * 100) - Math.round(Number(jan.total) * 100)).toBe(1750);
    // The "ahead" agreements were already invoiced for December: their first run is January's.
    expect(moved.body.invoices).toBeGreaterThan(1);
  });

  it('invoices when a day passes in real time, before anything reads the emulated ConnectWise', async () => {
    const s = setup('2026-11-30');
    const ace = s.agreement('Ace Monthly');
    s.elapse(12 * 3600 + 1);
    expect(
      (await s.call('GET', `/cw/_invoices?agreementId=${ace.id}`)).body.map((i: { date: string }) => i.date),
    ).toEqual(['2026-12-01']);
  });

  it('does not invoice cancelled or expired agreements', async () => {
    const s = setup();
    await s.call('POST', '/clock', { today: '2027-03-01' });
    const inactive = [...s.sandbox.cw.data.tables.agreements.rows.values()].filter(
      (a) => a.agreementStatus !== 'Active',
    );
    expect(inactive.length).toBeGreaterThan(0);
    for (const a of inactive) expect(s.sandbox.cw.invoicing.list(a.id)).toEqual([]);
  });

  it('answers 400 for a bad agreementId and 404 for an unknown one', async () => {
    const s = setup();
    expect((await s.call('GET', '/cw/_invoices?agreementId=abc')).status).toBe(400);
    expect((await s.call('GET', '/cw/_invoices')).status).toBe(400);
    const missing = await s.call('GET', '/cw/_invoices?agreementId=99999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('the emulated Pax8 dates seat changes and cancellations at the sandbox date', () => {
  it('records PUT quantity and DELETE ?cancelDate in the subscription history', async () => {
    const s = setup();
    await s.call('POST', '/clock', { today: '2026-12-09' });
    const token = (
      await s.call('POST', '/pax8/v1/token', {
        client_id: demoPax8Credentials.clientId,
        client_secret: demoPax8Credentials.clientSecret,
        audience: 'https://api.pax8.com',
        grant_type: 'client_credentials',
      })
    ).body.access_token as string;
    const auth = { authorization: `Bearer ${token}` };
    const monthly = [...s.sandbox.pax8.data.subscriptions.values()]
      .map((r) => r.current)
      .filter((sub) => sub.billingTerm === 'Monthly' && sub.status === 'Active' && !sub.commitmentTerm);
    const [first, second] = monthly;
    const put = await s.call(
      'PUT',
      `/pax8/v1/subscriptions/${first!.id}`,
      { quantity: first!.quantity + 3 },
      auth,
    );
    expect(put.status).toBe(200);
    const history = (await s.call('GET', `/pax8/v1/subscriptions/${first!.id}/history`, undefined, auth)).body
      .content;
    expect(history.at(-1)).toMatchObject({
      quantity: first!.quantity + 3,
      updatedDate: '2026-12-09T12:00:00.000Z',
    });

    s.elapse(60);
    const del = await s.call(
      'DELETE',
      `/pax8/v1/subscriptions/${second!.id}?cancelDate=2026-12-31`,
      undefined,
      auth,
    );
    expect(del.status).toBe(204);
    const after = (await s.call('GET', `/pax8/v1/subscriptions/${second!.id}/history`, undefined, auth)).body
      .content;
    expect(after.at(-1)).toMatchObject({
      status: 'PendingCancel',
      endDate: '2026-12-31T00:00:00.000Z',
      updatedDate: '2026-12-09T12:01:00.000Z',
    });
  });
});
