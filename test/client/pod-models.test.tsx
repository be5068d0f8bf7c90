// The pod's models against a fake /api: record view load and errors, binding in place, and the wizard's
// plan → exclude/edit/threshold → re-plan → review → apply, with a double Confirm sending one apply.
import { describe, expect, it } from 'vitest';
import { createAgreementModel, SEARCH_DELAY_MS } from '../../client/state/agreement-model.ts';
import type { ViewRow } from '../../client/state/pod-schemas.ts';
import { createWizardModel } from '../../client/state/wizard-model.ts';
import {
  agreement,
  boundView,
  companyView,
  FakePodServer,
  flush,
  PAX8_ACE,
  PRODUCT_E3,
  rowDefender,
  rowE3,
  rowSynced,
  SUB_E3,
  unboundView,
} from './pod-fakes.ts';

const agreementRecord = { kind: 'agreement' as const, id: 290 };

function wizardOn(server: FakePodServer) {
  const refreshes: string[] = [];
  let changed = 0;
  const wizard = createWizardModel({
    api: server.api(),
    refreshScreen: async () => {
      refreshes.push('refreshScreen');
    },
    onChanged: () => {
      changed++;
    },
  });
  return { wizard, refreshes, changed: () => changed };
}

describe('record view model', () => {
  it('loads the agreement view and counts the rows out of step', async () => {
    const server = new FakePodServer();
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    expect(model.state.value.status).toBe('loading');
    await model.load();
    const state = model.state.value;
    expect(state.status).toBe('ready');
    if (state.status !== 'ready') return;
    expect(state.view.company).toEqual({ id: 19, name: 'Ace Chemical Processing Plant' });
    expect(state.view.agreements.map((a) => a.name)).toEqual(['Ace Monthly']);
    expect(state.view.rows.map((r) => r.status)).toEqual(['not_on_agreement', 'product_not_bound', 'synced']);
    expect(model.outOfStep.value).toBe(2);
    expect(model.announcement.value).toBe('3 subscriptions, 2 out of step');
  });

  it('loads a company view with its active agreements', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/company/19', () => ({
      body: { ...boundView, agreement: undefined, company: agreement.company, agreements: [agreement] },
    }));
    const model = createAgreementModel({ api: server.api(), record: { kind: 'company', id: 19 } });
    await model.load();
    const state = model.state.value;
    expect(state.status === 'ready' && state.view.kind).toBe('company');
    expect(server.count('GET /api/views/company/19')).toBe(1);
  });

  it.each([
    [
      404,
      { error: { code: 'not_found', message: 'Agreement 290 was not found in ConnectWise' } },
      'Agreement 290 was not found in ConnectWise',
    ],
    [502, 'gateway down', 'The server answered 502'],
    [200, { agreement: { id: 'x' } }, 'Unexpected answer from /api/views/agreement/290'],
  ])('shows the error when the view answers %s', async (status, body, message) => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({ status, body }));
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    expect(model.state.value).toEqual({ status: 'error', message });
  });

  it('binds the company in place: likely matches first, a filter, then reloads the view', async () => {
    const server = new FakePodServer();
    let bound = false;
    server.on('GET /api/views/agreement/290', () => ({ body: bound ? boundView : unboundView }));
    server.on('POST /api/bindings/company', (body) => {
      bound = true;
      return { status: 201, body: { binding: body } };
    });
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    expect(model.announcement.value).toBe('Ace Chemical Processing Plant is not bound to a Pax8 company');
    expect(model.candidates.value.map((c) => c.name)).toEqual([
      'Ace Chemical Processing Plant',
      'Ace Chemicals Ltd',
    ]);
    model.setCandidateSearch('chemicals');
    expect(model.candidates.value.map((c) => c.name)).toEqual(['Ace Chemicals Ltd']);
    expect(await model.bindCompany(PAX8_ACE)).toBe(true);
    expect(server.bodies('POST /api/bindings/company')).toEqual([
      { cwCompanyId: 19, pax8CompanyId: PAX8_ACE },
    ]);
    expect(server.count('GET /api/views/agreement/290')).toBe(2);
    expect(model.candidateSearch.value).toBe('');
    const state = model.state.value;
    expect(state.status === 'ready' && state.view.binding?.pax8CompanyId).toBe(PAX8_ACE);
  });

  it('searches every unbound Pax8 company when the likely matches do not have it', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({ body: unboundView }));
    server.on('GET /api/pax8/companies', (_body, url) => ({
      body: {
        companies:
          url.searchParams.get('search') === 'gotham'
            ? [
                {
                  pax8CompanyId: '0b6f1c1e-1111-4111-a111-111111111111',
                  name: 'Gotham Chemical Works',
                  score: 0.2,
                },
              ]
            : [],
      },
    }));
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    model.setCandidateSearch('g');
    model.setCandidateSearch('gotham');
    expect(model.candidates.value).toEqual([]);
    await new Promise((r) => setTimeout(r, SEARCH_DELAY_MS + 50));
    await flush();
    expect(model.candidates.value.map((c) => c.name)).toEqual(['Gotham Chemical Works']);
    // One request for the settled text, none for the single letter.
    expect(server.count('GET /api/pax8/companies')).toBe(1);
  });

  it('shows why a binding was refused and keeps the candidates', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({ body: unboundView }));
    server.on('POST /api/bindings/company', () => ({
      status: 409,
      body: { error: { code: 'conflict', message: 'That Pax8 company is bound to another company' } },
    }));
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    expect(await model.bindCompany(PAX8_ACE)).toBe(false);
    expect(model.bind.value).toEqual({
      status: 'error',
      message: 'That Pax8 company is bound to another company',
    });
    expect(model.candidates.value).toHaveLength(2);
  });
});

describe('sync wizard model', () => {
  const open = (row: unknown) => ({
    row: row as ViewRow,
    agreements: [agreement],
    companyName: 'Ace Chemical',
  });

  it('skips PRODUCT when bound and plans at once without options', async () => {
    const server = new FakePodServer();
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    expect(wizard.step.value).toBe('agreement');
    expect(server.bodies('POST /api/sync/plan')).toEqual([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    expect(
      wizard.plan.value?.prorates.map((p) => [p.quantityIncrease, p.unitCost, p.unitPrice, p.totalPrice]),
    ).toEqual([[1, '14.00', '17.50', '17.50']]);
    expect(wizard.steps.value.map((s) => `${s.label}:${s.state}:${s.detail}`)).toEqual([
      'Connection:done:ConnectWise',
      'Company:done:Ace Chemical',
      'Product:done:MST-QFC-EE3-C100',
      'Agreement:current:Ace Monthly',
      'Review:todo:2 Item(s)',
    ]);
  });

  it('re-plans with each option: exclude, edit, threshold off, select all', async () => {
    const server = new FakePodServer();
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    await wizard.setExcluded('2020-09-09', true);
    expect(wizard.plan.value?.prorates[0]?.excluded).toBe(true);
    await wizard.editProrate('2020-09-09', { unitPrice: '18.00' });
    await wizard.setThreshold(false);
    await wizard.selectAllProrates(true);
    await wizard.setOptions({ quantity: 3, description: { kind: 'custom', text: 'Office E3 seats' } });
    const options = server.bodies('POST /api/sync/plan').map((b) => (b as { options?: unknown }).options);
    expect(options).toEqual([
      undefined,
      { prorates: { exclude: ['2020-09-09'] } },
      { prorates: { exclude: ['2020-09-09'], edit: { '2020-09-09': { unitPrice: '18.00' } } } },
      {
        prorates: { exclude: ['2020-09-09'], edit: { '2020-09-09': { unitPrice: '18.00' } } },
        threshold: false,
      },
      { prorates: { edit: { '2020-09-09': { unitPrice: '18.00' } } }, threshold: false },
      {
        prorates: { edit: { '2020-09-09': { unitPrice: '18.00' } } },
        threshold: false,
        quantity: 3,
        description: { kind: 'custom', text: 'Office E3 seats' },
      },
    ]);
  });

  it('keeps only the newest plan when re-plans overlap', async () => {
    const server = new FakePodServer();
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    await Promise.all([wizard.setExcluded('2020-09-09', true), wizard.setExcluded('2020-09-09', false)]);
    expect(wizard.plan.value?.planId).toBe('plan-3');
    expect(wizard.plan.value?.prorates[0]?.excluded).toBe(false);
  });

  it('applies once on a double Confirm, with the ignored lines, then refreshes ConnectWise and the view', async () => {
    const server = new FakePodServer();
    let release = () => {};
    server.holdApply = new Promise((r) => {
      release = r;
    });
    const { wizard, refreshes, changed } = wizardOn(server);
    await wizard.start(open(rowE3));
    wizard.toReview();
    expect(wizard.step.value).toBe('review');
    wizard.toggleIgnore('pro-1');
    const first = wizard.confirm();
    const second = wizard.confirm();
    expect(wizard.apply.value.status).toBe('applying');
    release();
    await Promise.all([first, second]);
    await wizard.confirm();
    expect(server.bodies('POST /api/sync/apply')).toEqual([{ planId: 'plan-1', ignore: ['pro-1'] }]);
    expect(wizard.step.value).toBe('done');
    const state = wizard.apply.value;
    expect(state.status === 'done' && state.result.applied.map((a) => a.additionId)).toEqual([683]);
    expect(refreshes).toEqual(['refreshScreen']);
    expect(changed()).toBe(1);
  });

  it('shows a plan error and recovers on retry', async () => {
    const server = new FakePodServer();
    const plan = server.routes.get('POST /api/sync/plan')!;
    server.on('POST /api/sync/plan', () => ({
      status: 400,
      body: { error: { code: 'bad_request', message: 'Invalid options: effectiveDate: must be a date' } },
    }));
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    expect(wizard.planState.value).toEqual({
      status: 'error',
      message: 'Invalid options: effectiveDate: must be a date',
    });
    wizard.toReview();
    expect(wizard.step.value).toBe('agreement');
    server.on('POST /api/sync/plan', plan);
    await wizard.replan();
    expect(wizard.planState.value.status).toBe('ready');
  });

  it('re-plans when the plan expired before Confirm, and lets the user confirm the new one', async () => {
    const server = new FakePodServer();
    const apply = server.routes.get('POST /api/sync/apply')!;
    server.on('POST /api/sync/apply', () => ({
      status: 410,
      body: { error: { code: 'plan_expired', message: 'The plan expired' } },
    }));
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    wizard.toReview();
    await wizard.confirm();
    expect(wizard.apply.value).toEqual({
      status: 'error',
      message: 'The plan expired. It was made again: check the review and confirm.',
    });
    expect(wizard.plan.value?.planId).toBe('plan-2');
    server.on('POST /api/sync/apply', apply);
    await wizard.confirm();
    expect(server.bodies('POST /api/sync/apply').map((b) => (b as { planId: string }).planId)).toEqual([
      'plan-1',
      'plan-2',
    ]);
  });

  it('starts at PRODUCT when unbound: search the catalog, bind, then plan', async () => {
    const server = new FakePodServer();
    server.on('GET /api/catalog', (_body, url) => ({
      body: {
        items: [
          {
            id: 91,
            identifier: 'MS-DEF-BUS',
            description: `Defender (${url.searchParams.get('search')})`,
            price: 3,
            cost: 2.4,
            taxable: false,
          },
        ],
      },
    }));
    server.on('POST /api/bindings/product', (body) => ({ status: 201, body: { binding: body } }));
    const { wizard, changed } = wizardOn(server);
    await wizard.start(open(rowDefender));
    expect(wizard.step.value).toBe('product');
    expect(server.count('POST /api/sync/plan')).toBe(0);
    const product = wizard.product.value!;
    await product.searchCatalog('Defender');
    expect(product.results.value?.map((i) => i.description)).toEqual(['Defender (Defender)']);
    expect(await product.bindTo(91)).toBe(true);
    await wizard.productDone();
    expect(server.bodies('POST /api/bindings/product')).toEqual([
      // Issue 10: a bind says whether the product is usage (a priced seat product is not).
      { pax8ProductId: PRODUCT_E3, billingTerm: 'Monthly', cwCatalogId: 91, usage: false },
    ]);
    expect(wizard.step.value).toBe('agreement');
    expect(server.count('POST /api/sync/plan')).toBe(1);
    expect(changed()).toBe(1);
  });

  it('exports the product with price and cost filled from Pax8 pricing for the term', async () => {
    const server = new FakePodServer();
    server.on('GET /api/catalog/lookups', () => ({
      body: {
        categories: [
          { id: 1, name: 'Hardware' },
          { id: 2, name: 'Business Productivity' },
        ],
        subcategories: [{ id: 5, name: 'Business Productivity', category: { id: 2 } }],
        types: [{ id: 7, name: 'Standalone' }],
        unitsOfMeasure: [
          { id: 9, name: 'Each' },
          { id: 10, name: 'User' },
        ],
      },
    }));
    server.on(`GET /api/products/${PRODUCT_E3}/pricing`, () => ({
      body: {
        productId: PRODUCT_E3,
        pricing: [
          { billingTerm: 'Monthly', rates: [{ partnerBuyRate: 2.4, suggestedRetailPrice: 3 }] },
          { billingTerm: 'Annual', rates: [{ partnerBuyRate: 28.8, suggestedRetailPrice: 36 }] },
        ],
      },
    }));
    server.on('POST /api/products/export', () => ({
      status: 201,
      body: { catalogItem: { id: 95, identifier: 'MS-DEF' }, binding: { cwCatalogId: 95 } },
    }));
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowDefender));
    const product = wizard.product.value!;
    await product.openExport();
    expect(product.form.value).toMatchObject({
      description: 'Pax8 - Microsoft Defender for Business',
      price: '3.00',
      cost: '2.40',
      categoryId: 2,
      subcategoryId: 5,
      typeId: 7,
      unitOfMeasureId: 10,
    });
    product.setField('billingTerm', 'Annual');
    expect([product.form.value.price, product.form.value.cost]).toEqual(['36.00', '28.80']);
    product.setField('billingTerm', 'Monthly');
    expect(await product.exportProduct()).toBe(true);
    expect(server.bodies('POST /api/products/export')).toEqual([
      {
        pax8ProductId: PRODUCT_E3,
        billingTerm: 'Monthly',
        description: 'Pax8 - Microsoft Defender for Business',
        subcategoryId: 5,
        typeId: 7,
        productClass: 'NonInventory',
        customerDescription: 'Microsoft Defender for Business',
        categoryId: 2,
        unitOfMeasureId: 10,
        price: 3,
        cost: 2.4,
      },
    ]);
  });

  it('ignores a late plan after the wizard was closed and opened again', async () => {
    const server = new FakePodServer();
    const { wizard } = wizardOn(server);
    const first = wizard.start(open(rowE3));
    wizard.close();
    await first;
    await flush();
    expect(wizard.planState.value.status).toBe('planning');
    expect(wizard.open.value).toBeUndefined();
  });

  it('loads the subscription history once, when first shown', async () => {
    const server = new FakePodServer();
    server.on(`GET /api/subscriptions/${SUB_E3}/history`, () => ({
      body: {
        subscription: {},
        changes: [
          { date: '2020-07-01', quantity: 1, previousQuantity: 0, synced: true },
          { date: '2020-09-09', quantity: 2, previousQuantity: 1, synced: false },
        ],
        journal: [
          { kind: 'prorate', state: 'done', agreementId: 290, additionId: 682, changeKey: '2020-09-09' },
          { kind: 'prorate', state: 'failed', agreementId: 290, additionId: null, changeKey: '2020-08-05' },
        ],
      },
    }));
    const { wizard } = wizardOn(server);
    await wizard.start(open(rowE3));
    expect(wizard.history.value.status).toBe('idle');
    await Promise.all([wizard.loadHistory(), wizard.loadHistory()]);
    const state = wizard.history.value;
    expect(
      state.status === 'ready' && state.history.changes.map((c) => [c.date, c.quantity, c.synced]),
    ).toEqual([
      ['2020-07-01', 1, true],
      ['2020-09-09', 2, false],
    ]);
    expect(server.count(`GET /api/subscriptions/${SUB_E3}/history`)).toBe(1);
    expect(wizard.syncedAddition('2020-09-09')).toBe(682);
    expect(wizard.syncedAddition('2020-08-05')).toBeUndefined();
  });
});

describe('ghosts in the record view model', () => {
  const ghost = (id: number, reason: string, extra: Record<string, unknown> = {}) => ({
    agreementId: 290,
    addition: {
      id,
      catalogId: 683,
      identifier: 'MST-OFB-BES-C100',
      quantity: 26,
      unitPrice: 5,
      unitCost: 4.2,
      effectiveDate: '2018-11-01',
      cancelledDate: null,
      invoiceDescription: 'Microsoft Office 365 Business Essentials',
    },
    reason,
    ...extra,
  });
  // A cancelled subscription's row still matches its addition (quantity differs): the same addition as ghost 700.
  const cancelledRow = { ...rowE3, status: 'quantity_differs', addition: { ...rowSynced.addition, id: 700 } };

  it.each<[string, unknown[], unknown[], number, string]>([
    [
      'no ghosts field (an older server)',
      [rowE3, rowDefender, rowSynced],
      [],
      2,
      '3 subscriptions, 2 out of step',
    ],
    [
      'two ghosts add to the rows out of step',
      [rowE3, rowDefender, rowSynced],
      [ghost(801, 'no_subscription'), ghost(802, 'no_subscription')],
      4,
      '3 subscriptions, 4 out of step, 2 billed without a Pax8 subscription',
    ],
    [
      'a ghost its cancelled row already shows counts once',
      [cancelledRow, rowSynced],
      [ghost(700, 'subscription_cancelled', { productName: 'E3' }), ghost(801, 'no_subscription')],
      2,
      '2 subscriptions, 2 out of step, 2 billed without a Pax8 subscription',
    ],
    [
      'ghosts only',
      [rowSynced],
      [ghost(801, 'no_subscription')],
      1,
      '1 subscription, 1 out of step, 1 billed without a Pax8 subscription',
    ],
  ])('%s → %i out of step', async (_name, rows, ghosts, out, announced) => {
    const server = new FakePodServer();
    const body = ghosts.length ? { ...boundView, rows, ghosts } : { ...boundView, rows };
    server.on('GET /api/views/agreement/290', () => ({ body }));
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    const state = model.state.value;
    expect(state.status === 'ready' && state.view.ghosts.map((g) => g.addition.id)).toEqual(
      (ghosts as { addition: { id: number } }[]).map((g) => g.addition.id),
    );
    expect(model.outOfStep.value).toBe(out);
    expect(model.announcement.value).toBe(announced);
  });

  it('keeps the ghosts of a company view, each with its agreement', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/company/19', () => ({
      body: companyView([
        ghost(801, 'no_subscription'),
        { ...ghost(802, 'no_subscription'), agreementId: 291 },
      ]),
    }));
    const model = createAgreementModel({ api: server.api(), record: { kind: 'company', id: 19 } });
    await model.load();
    const state = model.state.value;
    expect(state.status === 'ready' && state.view.ghosts.map((g) => [g.agreementId, g.addition.id])).toEqual([
      [290, 801],
      [291, 802],
    ]);
  });

  it('refuses a ghost with an unknown reason', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({
      body: { ...boundView, ghosts: [ghost(801, 'because')] },
    }));
    const model = createAgreementModel({ api: server.api(), record: agreementRecord });
    await model.load();
    expect(model.state.value).toEqual({
      status: 'error',
      message: 'Unexpected answer from /api/views/agreement/290',
    });
  });
});
