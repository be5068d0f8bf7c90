// The wizard's per-line Bill Options and Taxable (guide: the prorate edit and Configure Extra Months) and the
// guide's "Microsoft" invoice-description option, read from the forms and sent with the plan.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { readExtraMonths, readProrateEdit } from '../../client/state/wizard-input.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush } from './pod-fakes.ts';

const root = useMountPoint();
const form = (fields: Record<string, string>) => (name: string) => fields[name] ?? '';

const prorate = {
  effectiveDate: '2020-10-01',
  quantityIncrease: 1,
  unitCost: '14.00',
  unitPrice: '17.50',
  invoiceDescription:
    'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Prorated for 09/09/2020-09/30/2020',
  billCustomer: 'Billable' as const,
  taxable: true,
};
const same = {
  effectiveDate: '2020-10-01',
  quantity: '1',
  unitCost: '14.00',
  unitPrice: '17.50',
  description: prorate.invoiceDescription,
};

describe('a prorate line keeps its own bill option and taxable', () => {
  it.each([
    ['unchanged', { billCustomer: 'Billable', taxable: 'true' }, {}],
    ['No Charge', { billCustomer: 'NoCharge', taxable: 'true' }, { billCustomer: 'NoCharge' }],
    ['not taxable', { billCustomer: 'Billable', taxable: 'false' }, { taxable: false }],
    ['both', { billCustomer: 'DoNotBill', taxable: 'false' }, { billCustomer: 'DoNotBill', taxable: false }],
    ['an unknown option is not sent', { billCustomer: 'Free', taxable: 'maybe' }, {}],
  ])('%s', (_name, fields, edit) => {
    expect(readProrateEdit(form({ ...same, ...fields }), prorate)).toEqual({ edit, errors: {} });
  });
});

describe('an extra-months line takes the bill option and taxable chosen for it', () => {
  it('reads both with the months', () => {
    const read = readExtraMonths(
      form({
        effectiveDate: '2021-03-01',
        quantity: '1',
        startMonth: '2021-02',
        months: '1',
        unitPrice: '25.00',
        unitCost: '20.00',
        billCustomer: 'DoNotBill',
        taxable: 'false',
      }),
    );
    expect(read).toEqual({
      extra: {
        effectiveDate: '2021-03-01',
        quantity: 1,
        startMonth: '2021-02',
        months: 1,
        unitPrice: '25.00',
        unitCost: '20.00',
        billCustomer: 'DoNotBill',
        taxable: false,
      },
      errors: {},
    });
  });
});

describe('the Microsoft invoice description', () => {
  it("is offered after Short and Long (the guide's tabs) and re-plans with kind microsoft", async () => {
    const server = new FakePodServer();
    const models = createRecordModels({ api: server.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    [...root.querySelectorAll('button')]
      .find((b) =>
        (b.getAttribute('aria-label') ?? text(b)).startsWith('Sync: Microsoft Office 365 Enterprise E3'),
      )
      ?.click();
    await flush();
    const radios = [...root.querySelectorAll<HTMLInputElement>('input[name="description"]')];
    expect(radios.map((r) => r.parentElement?.textContent?.trim())).toEqual([
      'Short',
      'Long',
      'Microsoft',
      'Custom',
    ]);
    radios[2]?.click();
    await flush(10);
    const options = server.bodies('POST /api/sync/plan').map((b) => (b as { options?: unknown }).options);
    expect(options.at(-1)).toEqual({ description: { kind: 'microsoft' } });
  });
});
