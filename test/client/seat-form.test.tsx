// The pod row's seat change (guide "Modify quantity") in happy-dom: labelled fields with focus moved into the form,
// the terms acceptance required before anything is sent, one POST per change however often Update is clicked
// (one idempotency key), Pax8's refusal shown as the server words it, and the sync wizard opened for the
// agreement once Pax8 took the change.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { coverageOf } from '../../client/state/history-model.ts';
import type { Plan } from '../../client/state/plan-schemas.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, guidePlan, rowE3, SUB_E3 } from './pod-fakes.ts';

const root = useMountPoint();
const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';
const QUANTITY = `POST /api/subscriptions/${SUB_E3}/quantity`;
const CANCEL = `POST /api/subscriptions/${SUB_E3}/cancel`;

const button = (label: string) =>
  [...root.querySelectorAll('button')].find(
    (b) => text(b) === label || b.getAttribute('aria-label') === label,
  );
/** What a control's aria-describedby says, its described elements' text joined. */
const described = (el: Element | undefined) =>
  (el?.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => text(document.getElementById(id)))
    .join(' ');
const checkbox = (label: string) =>
  [...root.querySelectorAll('label.pv-check')]
    .find((l) => text(l) === label)
    ?.querySelector<HTMLInputElement>('input') ?? undefined;

const result = (over: Record<string, unknown> = {}) => ({
  changeId: 'c1',
  subscriptionId: SUB_E3,
  action: 'quantity',
  fromQuantity: 2,
  toQuantity: 3,
  waiveProrate: true,
  changeKey: '2020-09-20#1',
  replayed: false,
  subscription: { quantity: 3, status: 'Active', productName: E3, billingTerm: 'Monthly' },
  ...over,
});

async function mount(server: FakePodServer) {
  let n = 0;
  const models = createRecordModels({ api: server.api(), newKey: () => `key-${++n}` }, 'agreement', 290);
  render(<RecordBody models={models} wide={false} />, root);
  await models.record.load();
  await flush();
  return models;
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
function tick(box: HTMLInputElement | undefined) {
  if (!box) throw new Error('no checkbox');
  box.click();
}

describe('Modify quantity from the pod row', () => {
  it('opens a labelled form with focus on Quantity; nothing is sent until the terms are accepted', async () => {
    const server = new FakePodServer();
    await mount(server);
    button(`Modify quantity: ${E3}`)?.click();
    await flush();
    expect(text(root.querySelector('#pv-seat-title'))).toBe(`Modify quantity: ${E3}`);
    const qty = root.querySelector<HTMLInputElement>('#pv-seat-qty');
    expect(root.querySelector('label[for="pv-seat-qty"]')).not.toBeNull();
    expect(document.activeElement).toBe(qty);
    expect(qty?.value).toBe('2');
    type(qty!, '3');
    await flush();
    expect(text(root.querySelector('#pv-seat-delta'))).toBe('+1 seat');
    button('Update quantity')?.click();
    await flush();
    expect(text(root.querySelector('[role="alert"]'))).toBe('Accept the terms and conditions to continue.');
    expect(checkbox('I accept the terms and conditions')?.getAttribute('aria-invalid')).toBe('true');
    expect(server.count(QUANTITY)).toBe(0);
  });

  it('a double click sends one change; then the sync wizard opens for the agreement with what Pax8 now has', async () => {
    const server = new FakePodServer();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    server.on(QUANTITY, async () => {
      await held;
      return { body: result() };
    });
    server.on('GET /api/views/agreement/290', () => ({
      body:
        server.count(QUANTITY) > 0
          ? { ...boundView, rows: [{ ...rowE3, subscription: { ...rowE3.subscription, quantity: 3 } }] }
          : boundView,
    }));
    await mount(server);
    button(`Modify quantity: ${E3}`)?.click();
    await flush();
    type(root.querySelector<HTMLInputElement>('#pv-seat-qty')!, '3');
    tick(checkbox('I want to waive prorate.'));
    tick(checkbox('I accept the terms and conditions'));
    await flush();
    button('Update quantity')?.click();
    button('Update quantity')?.click();
    await flush();
    expect(text(root.querySelector('.cw-notice.progress'))).toBe('Changing seats in Pax8…');
    expect(button('Update quantity')?.disabled).toBe(true);
    release();
    await flush(10);
    expect(server.count(QUANTITY)).toBe(1);
    expect(server.bodies(QUANTITY)).toEqual([
      { quantity: 3, waiveProrate: true, acceptTerms: true, idempotencyKey: 'key-4' },
    ]);
    expect(text(root.querySelector('.cw-notice.ok'))).toBe(
      `Subscription updated${E3}: 2 → 3 seats in Pax8 (prorate waived). Now update the agreement: review the sync below and confirm.`,
    );
    // The wizard planned for the agreement in context.
    expect(server.bodies('POST /api/sync/plan')).toEqual([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    // Closed and opened again with Sync: the notice was the seat change's, it is not shown again.
    button('Cancel')?.click();
    await flush();
    button(`Sync: ${E3}`)?.click();
    await flush(10);
    expect(root.querySelector('.pv-wizard')).not.toBeNull();
    expect(root.querySelector('.cw-notice.ok')).toBeNull();
  });

  it("shows Pax8's refusal as the server words it; trying again keeps the key, another quantity takes a new one", async () => {
    const server = new FakePodServer();
    const refusal =
      'Microsoft Office 365 Enterprise E3 is on a commitment term: it can have seats removed only in the 7 days after its purchase or renewal. That window closed 05/27/2020 12:00 UTC (the term began 05/20/2020); the next one opens at the renewal on 05/20/2021.';
    server.on(QUANTITY, () => ({
      status: 422,
      body: { error: { code: 'seat_change_refused', message: refusal } },
    }));
    await mount(server);
    button(`Modify quantity: ${E3}`)?.click();
    await flush();
    type(root.querySelector<HTMLInputElement>('#pv-seat-qty')!, '1');
    tick(checkbox('I accept the terms and conditions'));
    await flush();
    button('Update quantity')?.click();
    await flush();
    expect(text(root.querySelector('[role="alert"]'))).toBe(refusal);
    button('Update quantity')?.click();
    await flush();
    type(root.querySelector<HTMLInputElement>('#pv-seat-qty')!, '4');
    await flush();
    button('Update quantity')?.click();
    await flush();
    expect(server.bodies(QUANTITY).map((b) => (b as { idempotencyKey: string }).idempotencyKey)).toEqual([
      'key-3',
      'key-3',
      'key-4',
    ]);
    expect(server.count('POST /api/sync/plan')).toBe(0);
  });

  it.each<[string, string]>([
    ['', 'Enter the new quantity as a whole number.'],
    ['2.5', 'Enter the new quantity as a whole number.'],
    ['2', 'The subscription already has 2 seats: enter another quantity.'],
  ])('quantity "%s" is refused in place: %s', async (value, message) => {
    const server = new FakePodServer();
    await mount(server);
    button(`Modify quantity: ${E3}`)?.click();
    await flush();
    const qty = root.querySelector<HTMLInputElement>('#pv-seat-qty')!;
    type(qty, value);
    tick(checkbox('I accept the terms and conditions'));
    await flush();
    button('Update quantity')?.click();
    await flush();
    expect(text(root.querySelector('[role="alert"]'))).toBe(message);
    expect(qty.getAttribute('aria-invalid')).toBe('true');
    expect(qty.getAttribute('aria-describedby')).toBe('pv-seat-delta pv-seat-error');
    expect(server.count(QUANTITY)).toBe(0);
  });

  it('Cancel asks only for the terms, posts to /cancel, and Back returns to the rows', async () => {
    const server = new FakePodServer();
    server.on(CANCEL, () => ({
      body: result({
        action: 'cancel',
        toQuantity: 2,
        waiveProrate: false,
        changeKey: null,
        subscription: { quantity: 2, status: 'Cancelled', productName: E3, billingTerm: 'Monthly' },
      }),
    }));
    await mount(server);
    button(`Cancel subscription: ${E3}`)?.click();
    await flush();
    expect(root.querySelector('#pv-seat-qty')).toBeNull();
    expect(checkbox('I want to waive prorate.')).toBeUndefined();
    expect(document.activeElement).toBe(checkbox('I accept the terms and conditions'));
    button('Back')?.click();
    await flush();
    expect(root.querySelector('#pv-seat-title')).toBeNull();
    // Focus goes back to the button that opened the form.
    expect(document.activeElement).toBe(button(`Cancel subscription: ${E3}`));
    button(`Cancel subscription: ${E3}`)?.click();
    await flush();
    tick(checkbox('I accept the terms and conditions'));
    await flush();
    root.querySelector<HTMLButtonElement>('.pv-seat-form button[type="submit"]')?.click();
    await flush(10);
    expect(server.bodies(CANCEL)).toEqual([
      { waiveProrate: false, acceptTerms: true, idempotencyKey: 'key-3' },
    ]);
    expect(text(root.querySelector('.cw-notice.ok'))).toContain(`${E3} is cancelled in Pax8.`);
  });

  it('the wizard shows a prorate waived at the seat change as "Waived", with no Edit or Exclude', async () => {
    const server = new FakePodServer();
    server.on('POST /api/sync/plan', () => {
      const plan = guidePlan('plan-w');
      return { body: { ...plan, prorates: plan.prorates.map((p) => ({ ...p, waived: true })) } };
    });
    const models = await mount(server);
    button(`Sync: ${E3}`)?.click();
    await flush(10);
    expect(models.wizard.plan.value?.prorates.map((p) => p.waived)).toEqual([true]);
    const row = root.querySelector('.pv-prorates tr[data-change]');
    expect(text(row?.querySelector('td'))).toBe('Waived');
    expect(row?.querySelectorAll('button')).toHaveLength(0);
  });

  it.each<[string, boolean, { synced: boolean; detail: string }]>([
    [
      'not waived: the increase is not synced',
      false,
      { synced: false, detail: 'recurring #683; its prorate is not written' },
    ],
    [
      'waived at the seat change: synced, saying why',
      true,
      { synced: true, detail: 'recurring #683; prorate waived at the seat change' },
    ],
  ])('history: a change whose prorate was %s', (_name, waived, expected) => {
    const plan = guidePlan('plan-h') as unknown as Plan;
    const withWaiver = {
      ...plan,
      prorates: plan.prorates.map((p) => ({ ...p, changeKey: '2020-09-09#1', waived })),
    };
    const change = {
      date: '2020-09-09',
      quantity: 2,
      previousQuantity: 1,
      synced: false,
      changeKey: '2020-09-09#1',
      coveredByRecurring: true,
      recurringAdditionId: 683,
      prorateAdditionId: null,
    };
    expect(coverageOf(change, withWaiver)).toEqual(expected);
  });

  it.each<[string, string, string | null]>([
    ['an increase: no warning', '3', null],
    [
      'a decrease after the window: warned before anything is sent',
      '1',
      'Removing seats is not possible now: the 7-day window after the purchase or renewal closed 07/27/2026 12:00 UTC; the next one opens at the renewal on 07/20/2027.',
    ],
  ])('the form reads the term and the window when it opens: %s', async (_name, value, warning) => {
    const server = new FakePodServer();
    server.on(`GET /api/subscriptions/${SUB_E3}/seats`, () => ({
      body: {
        subscriptionId: SUB_E3,
        term: 'Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00',
        window: { closesAt: '2026-07-27T12:00:00.000Z', open: false, renewsOn: '2027-07-20' },
      },
    }));
    await mount(server);
    button(`Modify quantity: ${E3}`)?.click();
    await flush();
    expect(text(root.querySelector('.pv-seat .pv-muted'))).toBe(
      'Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00 · 2 seats now',
    );
    type(root.querySelector<HTMLInputElement>('#pv-seat-qty')!, value);
    await flush();
    expect(text(root.querySelector('.pv-seat .cw-notice.warn')) || null).toBe(warning);
    // The button stays enabled (Pax8 has the last word) and the warning is its described reason.
    const update = button('Update quantity');
    expect(update?.disabled).toBe(false);
    expect(described(update) || null).toBe(warning);
    expect(server.count(QUANTITY)).toBe(0);
  });

  it('Cancel subscription after the window: enabled, the warning its described reason', async () => {
    const server = new FakePodServer();
    server.on(`GET /api/subscriptions/${SUB_E3}/seats`, () => ({
      body: {
        subscriptionId: SUB_E3,
        term: 'Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00',
        window: { closesAt: '2026-07-27T12:00:00.000Z', open: false, renewsOn: '2027-07-20' },
      },
    }));
    await mount(server);
    button(`Cancel subscription: ${E3}`)?.click();
    await flush();
    const cancel = button('Cancel subscription');
    expect(cancel?.disabled).toBe(false);
    expect(described(cancel)).toBe(
      'Cancellation is not possible now: the 7-day window after the purchase or renewal closed 07/27/2026 12:00 UTC; the next one opens at the renewal on 07/20/2027.',
    );
  });

  it.each<[string, string, string]>([
    [
      'Monthly',
      'Annual, billed monthly · renews 08/20/2027 · decrease window closed 08/27/2026 12:00',
      'This subscription is on a commitment term: seats added are billed monthly and kept until the term ends, and seats can be removed (or the subscription cancelled) only in the 7 days after its purchase or renewal.',
    ],
    [
      'Annual',
      'Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00',
      'This subscription is on a commitment term: seats added are billed to the end of the term, and seats can be removed (or the subscription cancelled) only in the 7 days after its purchase or renewal.',
    ],
  ])(
    'the terms note says how added seats are billed: Pax8 billing term %s',
    async (billingTerm, term, note) => {
      const server = new FakePodServer();
      const row = { ...rowE3, subscription: { ...rowE3.subscription, billingTerm } };
      server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, rows: [row] } }));
      server.on(`GET /api/subscriptions/${SUB_E3}/seats`, () => ({
        body: {
          subscriptionId: SUB_E3,
          term,
          window: { closesAt: '2026-08-27T12:00:00.000Z', open: false, renewsOn: '2027-08-20' },
        },
      }));
      await mount(server);
      button(`Modify quantity: ${E3}`)?.click();
      await flush();
      expect(text(root.querySelector('#pv-seat-terms'))).toBe(note);
    },
  );

  it('a usage row (billed in arrears) offers Cancel but not Modify: it has no seats to set', async () => {
    const server = new FakePodServer();
    const money = {
      firstUninvoicedMonth: '2020-10',
      months: [],
      backBill: 0,
      olderShortfall: 0,
      message: '',
    };
    const usageRow = { ...rowE3, money: { ...money, usage: [], term: 'Usage · billed in arrears' } };
    server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, rows: [usageRow] } }));
    await mount(server);
    expect(button(`Modify quantity: ${E3}`)).toBeUndefined();
    expect(button(`Cancel subscription: ${E3}`)).toBeDefined();
  });
});
