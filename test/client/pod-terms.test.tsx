// The pod row speaks the term (spec §5, issue 10 item 1): a subscription on an NCE commitment shows its renewal
// and the decrease window where a monthly one shows "Monthly"; an older server without the term still renders.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { descriptionStem, recurringOf } from '../../client/state/wizard-fields.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, guidePlan, rowSynced } from './pod-fakes.ts';

const root = useMountPoint();
const money = (term?: string) => ({
  firstUninvoicedMonth: '2020-10',
  months: [{ month: '2020-10', will: 0, should: 0 }],
  backBill: 0,
  olderShortfall: 0,
  message: 'ConnectWise bills it as it should.',
  ...(term ? { term } : {}),
});

async function rowLines(rows: unknown[]) {
  const server = new FakePodServer();
  server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, rows } }));
  const models = createRecordModels(
    { api: server.api(), bridge: { refreshScreen: async () => {} } },
    'agreement',
    290,
  );
  render(<RecordBody models={models} wide={false} />, root);
  await models.record.load();
  await flush();
  return [...root.querySelectorAll('.pv-row .pv-row-main .pv-muted')].map((el) => text(el));
}

describe('pod rows: the term', () => {
  it('an annual term shows its renewal and window; without a term from the server, Pax8s billing term', async () => {
    const annual = {
      ...rowSynced,
      subscription: { ...rowSynced.subscription, billingTerm: 'Annual' },
      money: money('Annual · renews 05/20/2021 · decrease window closed 05/27/2020 12:00'),
    };
    const older = {
      ...rowSynced,
      subscription: { ...rowSynced.subscription, id: '66666666-6666-4666-8666-666666666666' },
      money: money(),
    };
    const lines = await rowLines([annual, older]);
    expect(lines[0]).toBe(
      'Annual · renews 05/20/2021 · decrease window closed 05/27/2020 12:00 · Pax8 3 · CW 3',
    );
    expect(lines[1]).toBe('Monthly · Pax8 3 · CW 3');
  });
});

describe('the wizard form on a term billed up front', () => {
  const period = {
    key: 'period:s:290:2026-03-14',
    action: 'create',
    kind: 'period',
    catalogId: 52,
    quantity: 5,
    unitPrice: '300.00',
    unitCost: '240.00',
    effectiveDate: '2026-04-01',
    cancelledDate: '2026-04-30',
    invoiceDescription: 'Pax8 - Microsoft 365 E3 - Annual term 03/14/2026-03/13/2027',
    billCustomer: 'Billable',
    taxable: false,
  } as const;
  it('reads its figures from the period line, and edits the text before " - Annual term …"', () => {
    const plan = { additions: [period] } as unknown as Parameters<typeof recurringOf>[0];
    expect(recurringOf(plan)?.unitPrice).toBe('300.00');
    expect(descriptionStem(recurringOf(plan))).toBe('Pax8 - Microsoft 365 E3');
  });
  it.each([
    [
      'Annual',
      [period],
      'Price and cost are per seat for the whole Annual term, billed once per term, not per month.',
    ],
    ['Monthly', null, ''],
  ])(
    '%s: says whether Price and Cost are per term (Gibson E3 read $276.00 with no word of a year)',
    async (term, additions, note) => {
      const server = new FakePodServer();
      server.on('POST /api/sync/plan', () => ({
        body: { ...guidePlan('plan-t'), term, ...(additions ? { additions, prorates: [], review: [] } : {}) },
      }));
      const models = createRecordModels({ api: server.api() }, 'agreement', 290);
      render(<RecordBody models={models} wide={false} />, root);
      await models.record.load();
      await flush();
      [...root.querySelectorAll('button')]
        .find((b) =>
          (b.getAttribute('aria-label') ?? text(b)).startsWith('Sync: Microsoft Office 365 Enterprise E3'),
        )
        ?.click();
      await flush(10);
      // The addition step is showing: its Price field is there in both cases.
      expect([...root.querySelectorAll('label')].some((l) => text(l) === 'Price')).toBe(true);
      expect(text(root.querySelector('#pv-term-price-note'))).toBe(note);
    },
  );
});
