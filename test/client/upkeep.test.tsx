// Upkeep in the pod (issue 10 item 5): unbind a company after a confirm, and change a product binding (catalog
// item, price, markup, usage, default bill option and taxable), the view reloaded after each.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { bindingErrors, createUpkeepModel } from '../../client/state/upkeep-model.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, PAX8_ACE, PRODUCT_E3, rowE3, unboundView } from './pod-fakes.ts';

const root = useMountPoint();

const e3Binding = {
  pax8ProductId: PRODUCT_E3,
  billingTerm: 'Monthly',
  cwCatalogId: 88,
  cwIdentifier: 'MST-QFC-EE3-C100',
  price: '25.00',
  markupPercent: null,
  usage: false,
  billCustomer: null,
  taxable: null,
};

function server() {
  const s = new FakePodServer();
  s.on('GET /api/bindings', () => ({ body: { companies: [], products: [e3Binding] } }));
  s.on('POST /api/bindings/product', (body) => ({
    status: 201,
    body: { binding: { ...e3Binding, ...(body as object) } },
  }));
  s.on('DELETE /api/bindings/company', () => ({
    body: { unbound: { cwCompanyId: 19, pax8CompanyId: PAX8_ACE } },
  }));
  return s;
}

describe('the binding form rules', () => {
  it.each([
    [{}, {}],
    [{ cwCatalogId: '' }, { cwCatalogId: 'Catalog item must be its id, a whole number' }],
    [{ price: '12.505' }, { price: 'Price must be like 12.50, or empty for the Pax8 price' }],
    [{ markupPercent: '15%' }, { markupPercent: 'Markup must be a percent like 15 or 12.5, or empty' }],
    [{ price: '', markupPercent: '' }, {}],
  ])('%j → %j', (patch, errors) => {
    const form = {
      cwCatalogId: '88',
      price: '25.00',
      markupPercent: '15',
      usage: false,
      billCustomer: '',
      taxable: '',
    } as const;
    expect(bindingErrors({ ...form, ...patch })).toEqual(errors);
  });
});

describe('the upkeep model', () => {
  it('changes a product binding: the form starts from the stored one and sends every field', async () => {
    const s = server();
    let reloads = 0;
    const m = createUpkeepModel({ api: s.api(), onChanged: () => void reloads++ });
    await m.editProduct({ pax8ProductId: PRODUCT_E3, billingTerm: 'Monthly', name: 'E3' });
    expect(m.form.value).toEqual({
      cwCatalogId: '88',
      price: '25.00',
      markupPercent: '',
      usage: false,
      billCustomer: '',
      taxable: '',
    });
    m.set('cwCatalogId', '89');
    m.set('billCustomer', 'NoCharge');
    m.set('taxable', 'no');
    m.set('usage', true);
    expect(await m.saveProduct()).toBe(true);
    expect(s.bodies('POST /api/bindings/product')).toEqual([
      {
        pax8ProductId: PRODUCT_E3,
        billingTerm: 'Monthly',
        cwCatalogId: 89,
        price: '25.00',
        markupPercent: null,
        usage: true,
        billCustomer: 'NoCharge',
        taxable: false,
      },
    ]);
    expect(reloads).toBe(1);
    expect(m.state.value).toEqual({ status: 'idle' });
  });

  it('a refused save keeps the form open with the reason', async () => {
    const s = server();
    s.on('POST /api/bindings/product', () => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'Catalog item 999 was not found in ConnectWise' } },
    }));
    const m = createUpkeepModel({ api: s.api(), onChanged: () => undefined });
    await m.editProduct({ pax8ProductId: PRODUCT_E3, billingTerm: 'Monthly', name: 'E3' });
    m.set('cwCatalogId', '999');
    expect(await m.saveProduct()).toBe(false);
    expect(m.state.value).toMatchObject({
      status: 'editing',
      message: 'Catalog item 999 was not found in ConnectWise',
    });
  });
});

describe('in the pod', () => {
  it('unbinds the company only after a confirm, and the view reloads unbound', async () => {
    const s = server();
    let bound = true;
    s.on('DELETE /api/bindings/company', () => {
      bound = false;
      return { body: { unbound: { cwCompanyId: 19, pax8CompanyId: PAX8_ACE } } };
    });
    const base = s.routes.get('GET /api/views/agreement/290')!;
    s.on('GET /api/views/agreement/290', (b, u) => (bound ? base(b, u) : { body: unboundView }));
    const models = createRecordModels({ api: s.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    const button = (label: string) => [...root.querySelectorAll('button')].find((b) => text(b) === label);
    button('Unbind…')?.click();
    await flush();
    expect(s.count('DELETE /api/bindings/company')).toBe(0);
    button('Unbind')?.click();
    await flush(10);
    expect(s.bodies('DELETE /api/bindings/company')).toEqual([{ cwCompanyId: 19, pax8CompanyId: PAX8_ACE }]);
    expect(root.querySelector('#pv-bind-title')).not.toBeNull();
  });
});

describe('what changed since an addition was written, in the rows', () => {
  it('a rebound product and a company bound to another Pax8 company are said in words', async () => {
    const s = server();
    const changed =
      'Bound to a different catalog item (MST-OFB-BES-C100) since this addition was written (catalog item #682); the addition is left as written.';
    const note =
      'Written for Pax8 subscription sub-old, which Juniper Veterinary Clinic does not have: the company was bound to another Pax8 company since, or Pax8 no longer lists it. The addition is left as written.';
    s.on('GET /api/views/agreement/290', () => ({
      body: {
        ...boundView,
        rows: [{ ...rowE3, bindingChanged: changed }],
        ghosts: [
          {
            agreementId: 290,
            addition: {
              id: 683,
              catalogId: 682,
              quantity: 2,
              unitPrice: 25,
              unitCost: 20,
              effectiveDate: '2020-10-01',
              cancelledDate: null,
              invoiceDescription: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
            },
            reason: 'no_subscription',
            note,
          },
        ],
      },
    }));
    const models = createRecordModels({ api: s.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    expect(text(root)).toContain(changed);
    expect(text(root)).toContain(note);
  });
});
