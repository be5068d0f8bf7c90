// The review names each line's period for what it is (spec §5): an annual term line bills its whole billing
// period, so its dates are not a "Prorated Period" (found walking Arcadia's annual Business Basic in the pod).
import { signal } from '@preact/signals';
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { ReviewStep } from '../../client/pod/views/review-step.tsx';
import type { WizardModel } from '../../client/state/wizard-model.ts';
import { text, useMountPoint } from './fakes/dom.ts';

const root = useMountPoint();
const side = (pax8: string, connectWise: string) => ({ pax8, connectWise });

function row(kind: string, key: string, period: string) {
  return {
    key,
    kind,
    action: 'create',
    title: `Creating new ConnectWise addition: ${kind}`,
    productName: side('Microsoft 365 Business Basic', 'Pax8 - Microsoft 365 Business Basic'),
    invoiceDescription: side('N/A', 'Pax8 - Microsoft 365 Business Basic'),
    term: side('Annual', 'One-Time'),
    quantity: side('12 units', '12 units'),
    unitCost: side('$54.72', '$54.72'),
    unitPrice: side('$68.40', '$68.40'),
    chargeLabel: 'Non-Recurring',
    cost: side('$0.00', '$656.64 ($54.72 × 12 units)'),
    price: side('$0.00', '$820.80 ($68.40 × 12 units)'),
    effectiveDate: side('', '12/01/2026'),
    endDate: side('', '12/31/2026'),
    proratedPeriod: side('', period),
    billCustomer: side('N/A', 'Billable'),
    taxable: side('N/A', 'false'),
  };
}

function periodLabels(rows: ReturnType<typeof row>[]): string[] {
  const model = {
    plan: signal({ review: rows }),
    apply: signal({ status: 'idle' }),
    ignored: signal([]),
    planState: signal({ status: 'ready' }),
  } as unknown as WizardModel;
  render(<ReviewStep model={model} />, root);
  return [...root.querySelectorAll('section.pv-review')].map((section) => {
    const th = [...section.querySelectorAll('th[scope="row"]')].find((el) => /Period:$/.test(text(el)));
    return `${text(th)} ${text(th?.nextElementSibling?.nextElementSibling)}`;
  });
}

describe('review: the period row', () => {
  it('says Billing Period for a term line, Prorated Period for a prorate, Usage Period for a usage month', () => {
    expect(
      periodLabels([
        row('period', 'period:1', '06/20/2026 - 06/19/2027'),
        row('prorate', 'pro:1', '11/21/2026 - 06/19/2027'),
        row('usage', 'use:1', '10/01/2026 - 10/31/2026'),
      ]),
    ).toEqual([
      'Billing Period: 06/20/2026 - 06/19/2027',
      'Prorated Period: 11/21/2026 - 06/19/2027',
      'Usage Period: 10/01/2026 - 10/31/2026',
    ]);
  });
});
