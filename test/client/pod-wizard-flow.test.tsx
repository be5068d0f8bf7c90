// The wizard's flow (issue 9, defects 3-6): create-new shows the new addition, an update's effective date is
// read-only, a hand-edit conflict plans again (Back, or "Plan again"), and an ignored line says it is not synced.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, guidePlan, rowE3, SHORT_E3 } from './pod-fakes.ts';

const root = useMountPoint();
const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';

const button = (label: string) =>
  [...root.querySelectorAll('button')].find(
    (b) => text(b) === label || b.getAttribute('aria-label') === label,
  );
const field = (caption: string) =>
  [...root.querySelectorAll<HTMLLabelElement>('.pv-step > form label.pv-field')]
    .find((l) => text(l.querySelector(':scope > span')).replace(/ \*$/, '') === caption)
    ?.querySelector<HTMLInputElement>('input') ?? undefined;
const heading = () => text(root.querySelector('.pv-step h4'));

/** Ace's E3 already billed by addition #700: 5 seats from 01/01/2020, described by hand. */
const oldAddition = {
  id: 700,
  quantity: 5,
  unitPrice: 25,
  unitCost: 20,
  effectiveDate: '2020-01-01',
  cancelledDate: null,
  invoiceDescription: 'Old E3 seats',
};
const billedRow = { ...rowE3, addition: oldAddition, status: 'quantity_differs' };

const oldWrite = (action: 'cancel' | 'update') => ({
  key: `rec-${action}`,
  action,
  kind: 'recurring',
  additionId: 700,
  catalogId: 88,
  quantity: action === 'cancel' ? 5 : 2,
  unitPrice: '25.00',
  unitCost: '20.00',
  effectiveDate: '2020-01-01',
  cancelledDate: action === 'cancel' ? '2020-09-30' : null,
  invoiceDescription: 'Old E3 seats',
  billCustomer: 'Billable',
  taxable: true,
});

/** The plan as the server makes it for each mode: create-new cancels #700 first, then the new line. */
function modePlan(id: string, mode: 'create' | 'update') {
  const plan = guidePlan(id);
  const [created, ...rest] = plan.additions;
  const additions =
    mode === 'create' ? [oldWrite('cancel'), created, ...rest] : [oldWrite('update'), ...rest];
  return { ...plan, mode, additions };
}

async function openWizard(server: FakePodServer) {
  const models = createRecordModels({ api: server.api() }, 'agreement', 290);
  render(<RecordBody models={models} wide={false} />, root);
  await models.record.load();
  await flush();
  button(`Sync: ${E3}`)?.click();
  await flush();
  return models;
}

function billedServer() {
  const server = new FakePodServer();
  server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, rows: [billedRow] } }));
  server.on('POST /api/sync/plan', (body) => {
    const mode = (body as { options?: { mode?: 'create' | 'update' } }).options?.mode ?? 'update';
    return { body: modePlan(`plan-${server.count('POST /api/sync/plan')}`, mode) };
  });
  return server;
}

describe('update or create new', () => {
  it('create new shows the new addition: its quantity, effective date and description, not the old one', async () => {
    const server = billedServer();
    await openWizard(server);
    const create = [...root.querySelectorAll<HTMLInputElement>('input[name="mode"]')][1]!;
    create.click();
    await flush();
    expect(server.bodies('POST /api/sync/plan').at(-1)).toMatchObject({ options: { mode: 'create' } });
    expect([field('Effective date')?.value, field('Effective date')?.readOnly]).toEqual([
      '2020-10-01',
      false,
    ]);
    expect(field('Quantity')?.value).toBe('2');
    expect(root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Invoice description"]')?.value).toBe(
      SHORT_E3,
    );
  });

  it("an update keeps the addition's effective date: the field is read-only and says why", async () => {
    const server = billedServer();
    await openWizard(server);
    const date = field('Effective date')!;
    expect([date.value, date.readOnly]).toEqual(['2020-01-01', true]);
    const note = document.getElementById(date.getAttribute('aria-describedby') ?? '');
    expect(text(note)).toBe(
      "An update keeps the addition's effective date (01/01/2020). To start on another date, choose Create new addition.",
    );
    expect(field('Quantity')?.value).toBe('2');
  });
});

describe('a hand edit in ConnectWise after planning (409 agreement_changed)', () => {
  const conflict = () => ({
    status: 409,
    body: {
      error: {
        code: 'agreement_changed',
        message:
          'Addition 700 was changed in ConnectWise since this plan was made (quantity, unitPrice); plan again',
      },
    },
  });

  it('names the fields and offers "Plan again", which plans afresh so Confirm can succeed', async () => {
    const server = billedServer();
    const apply = server.routes.get('POST /api/sync/apply')!;
    server.on('POST /api/sync/apply', conflict);
    await openWizard(server);
    button('Continue')?.click();
    await flush();
    button('Confirm Sync (2)')?.click();
    await flush();
    const notice = root.querySelector('.pv-step .cw-notice.error');
    expect(text(notice?.querySelector('strong'))).toBe('Changed in ConnectWise since this plan was made');
    expect(text(notice)).toContain('(quantity, unitPrice)');
    // The plan is stale: Confirm waits for a new one instead of being refused again.
    expect(button('Confirm Sync (2)')?.getAttribute('aria-disabled')).toBe('true');
    button('Confirm Sync (2)')?.click();
    await flush();
    expect(server.count('POST /api/sync/apply')).toBe(1);
    server.on('POST /api/sync/apply', apply);
    const plansBefore = server.count('POST /api/sync/plan');
    button('Plan again')?.click();
    await flush();
    expect(server.count('POST /api/sync/plan')).toBe(plansBefore + 1);
    expect(root.querySelector('.pv-step .cw-notice.error')).toBeNull();
    button('Confirm Sync (2)')?.click();
    await flush();
    const applied = server.bodies('POST /api/sync/apply').map((b) => (b as { planId: string }).planId);
    expect(applied).toEqual(['plan-1', `plan-${plansBefore + 1}`]);
    expect(text(root.querySelector('.pv-written'))).toContain('#683');
  });

  it('Back then Continue plans again, so the next Confirm sends the new plan', async () => {
    const server = billedServer();
    const apply = server.routes.get('POST /api/sync/apply')!;
    server.on('POST /api/sync/apply', conflict);
    await openWizard(server);
    button('Continue')?.click();
    await flush();
    button('Confirm Sync (2)')?.click();
    await flush();
    server.on('POST /api/sync/apply', apply);
    button('Back')?.click();
    await flush();
    expect(heading()).toBe('Configure addition');
    button('Continue')?.click();
    await flush();
    expect(root.querySelector('.pv-step .cw-notice.error')).toBeNull();
    button('Confirm Sync (2)')?.click();
    await flush();
    const applied = server.bodies('POST /api/sync/apply').map((b) => (b as { planId: string }).planId);
    expect(applied).toEqual(['plan-1', 'plan-2']);
  });
});

describe('an ignored line', () => {
  it('is reported as not synced after Confirm, not as "Synced to ConnectWise"', async () => {
    const server = new FakePodServer();
    const models = await openWizard(server);
    button('Continue')?.click();
    await flush();
    root.querySelectorAll<HTMLElement>('.pv-review')[1]?.querySelector<HTMLInputElement>('input')?.click();
    await flush();
    button('Confirm Sync (1)')?.click();
    await flush();
    const done = root.querySelector('.pv-wizard .cw-notice');
    expect(done?.classList.contains('warn')).toBe(true);
    expect(text(done?.querySelector('strong'))).toBe('Not fully synced: 1 ignored line was not written');
    expect(text(root.querySelector('.pv-written'))).toBe('Created recurring addition #683');
    expect(text(root.querySelector('.pv-ignored'))).toBe(
      'Not synced (ignored): Creating new ConnectWise addition: prorated addition',
    );
    expect(text(root.querySelector('.pv-wizard p[role="status"]'))).toBe(
      'Not fully synced: 1 ignored line was not written: created recurring addition #683, not synced (ignored): Creating new ConnectWise addition: prorated addition.',
    );
    expect(models.wizard.step.value).toBe('done');
  });
});
