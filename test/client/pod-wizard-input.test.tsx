// The wizard's typed input (issue 9, defects 1, 2 and 9): what cannot be read as typed is never sent; the
// field says why (aria-invalid + aria-describedby) and Continue waits; one click on Continue after an edit.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { createProductModel } from '../../client/state/product-model.ts';
import { parseDate, parseMoney, parseQuantity } from '../../client/state/wizard-input.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush, PRODUCT_E3 } from './pod-fakes.ts';

const root = useMountPoint();
const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';

const button = (label: string) =>
  [...root.querySelectorAll('button')].find(
    (b) => text(b) === label || b.getAttribute('aria-label') === label,
  );

/** The input whose label's caption (without the required star) is `caption`, inside `scope`. */
const field = (caption: string, scope: ParentNode = root) =>
  [...scope.querySelectorAll<HTMLLabelElement>('label.pv-field')]
    .find((l) => text(l.querySelector(':scope > span')).replace(/ \*$/, '') === caption)
    ?.querySelector<HTMLInputElement>('input') ?? undefined;

/** The field's state as a person (and a screen reader) meets it: value, aria-invalid, the message it points to. */
const seen = (input: HTMLInputElement | undefined) => {
  const ids = (input?.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return {
    value: input?.value,
    invalid: input?.getAttribute('aria-invalid') ?? null,
    message: ids.map((id) => text(document.getElementById(id))).join(' '),
  };
};

const type = async (input: HTMLInputElement | undefined, value: string) => {
  if (!input) throw new Error('no such field');
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await flush();
};

async function openWizard(server = new FakePodServer()) {
  const models = createRecordModels({ api: server.api() }, 'agreement', 290);
  render(<RecordBody models={models} wide={false} />, root);
  await models.record.load();
  await flush();
  button(`Sync: ${E3}`)?.click();
  await flush();
  return { server, models };
}

const plans = (server: FakePodServer) => server.count('POST /api/sync/plan');

describe('reading typed values (table)', () => {
  it.each([
    ['12.50', { ok: true, value: '12.50' }],
    ['$1,250', { ok: true, value: '1250.00' }],
    ['18', { ok: true, value: '18.00' }],
    ['abc', { ok: false, message: 'Price must be an amount like 12.50.' }],
    ['-5', { ok: false, message: 'Price cannot be negative.' }],
    ['5.999', { ok: false, message: 'Price has at most 2 decimals (cents), e.g. 12.50.' }],
    ['', { ok: false, message: 'Price is required.' }],
    ['1000000.01', { ok: false, message: 'Price must be at most $1,000,000.00.' }],
  ])('price %j', (typed, expected) => {
    expect(parseMoney(typed, 'Price')).toEqual(expected);
  });

  it.each([
    ['3', 0, { ok: true, value: 3 }],
    ['0', 0, { ok: true, value: 0 }],
    ['0', 1, { ok: false, message: 'Quantity must be at least 1.' }],
    ['2.5', 0, { ok: false, message: 'Quantity must be a whole number, not 2.5.' }],
    ['-1', 0, { ok: false, message: 'Quantity cannot be negative.' }],
    ['two', 0, { ok: false, message: 'Quantity must be a whole number.' }],
    ['1000000000', 0, { ok: false, message: 'Quantity must be at most 100,000.' }],
  ] as const)('quantity %j (min %i)', (typed, min, expected) => {
    expect(parseQuantity(typed, 'Quantity', min)).toEqual(expected);
  });

  it.each([
    ['2020-10-01', { ok: true, value: '2020-10-01' }],
    ['2099-12-31', { ok: true, value: '2099-12-31' }],
    ['0001-01-01', { ok: false, message: 'Effective date must be between 01/01/2000 and 12/31/2099.' }],
    ['2100-01-01', { ok: false, message: 'Effective date must be between 01/01/2000 and 12/31/2099.' }],
    ['2021-02-30', { ok: false, message: 'Effective date must be a date.' }],
  ])('date %j', (typed, expected) => {
    expect(parseDate(typed, 'Effective date')).toEqual(expected);
  });
});

describe('configure addition: bad input is refused at the field, never sent', () => {
  it.each([
    ['Price', 'abc', 'Price must be an amount like 12.50.'],
    ['Price', '-5', 'Price cannot be negative.'],
    ['Price', '5.999', 'Price has at most 2 decimals (cents), e.g. 12.50.'],
    ['Cost', 'abc', 'Cost must be an amount like 12.50.'],
    ['Quantity', '2.5', 'Quantity must be a whole number, not 2.5.'],
    ['Quantity', '1000000000', 'Quantity must be at most 100,000.'],
    ['Effective date', '0001-01-01', 'Effective date must be between 01/01/2000 and 12/31/2099.'],
  ])('%s %j: "%s", Continue blocked, nothing planned', async (caption, typed, message) => {
    const { server } = await openWizard();
    const before = plans(server);
    await type(field(caption), typed);
    expect(seen(field(caption))).toEqual({ value: typed, invalid: 'true', message });
    expect(plans(server)).toBe(before);
    expect(text(root.querySelector('#pv-blocked'))).toBe(
      'One field needs a valid value before you continue.',
    );
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('true');
    button('Continue')?.click();
    await flush();
    expect(text(root.querySelector('.pv-step h4'))).toBe('Configure addition');
  });

  it('sends the corrected value once fixed, and Continue goes on', async () => {
    const { server } = await openWizard();
    await type(field('Price'), '5.999');
    await type(field('Price'), '5.99');
    expect(seen(field('Price'))).toEqual({ value: '5.99', invalid: null, message: '' });
    const options = server.bodies('POST /api/sync/plan').map((b) => (b as { options?: unknown }).options);
    expect(options).toEqual([undefined, { unitPrice: '5.99' }]);
    expect(root.querySelector('#pv-blocked')).toBeNull();
    button('Continue')?.click();
    await flush();
    expect(text(root.querySelector('.pv-step h4'))).toBe('Review');
  });

  it('Continue needs one click after an edit, even when that click starts the re-plan', async () => {
    const { server } = await openWizard();
    const input = field('Quantity')!;
    input.value = '3';
    // As in a browser: the press on Continue blurs the field (change → re-plan), Preact renders, then the click.
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await Promise.resolve();
    button('Continue')?.click();
    await flush();
    expect(server.bodies('POST /api/sync/plan').at(-1)).toEqual({
      subscriptionId: '11111111-1111-4111-8111-111111111111',
      agreementId: 290,
      options: { quantity: 3 },
    });
    expect(text(root.querySelector('.pv-step h4'))).toBe('Review');
  });

  it('shows the server refusing a value (400 limit_exceeded) in words', async () => {
    const server = new FakePodServer();
    const ok = server.routes.get('POST /api/sync/plan')!;
    await openWizard(server);
    server.on('POST /api/sync/plan', () => ({
      status: 400,
      body: {
        error: { code: 'limit_exceeded', message: 'quantity 5000 is more than 10× the Pax8 quantity (2)' },
      },
    }));
    await type(field('Quantity'), '5000');
    expect(text(root.querySelector('.pv-step .cw-notice.error'))).toContain(
      'quantity 5000 is more than 10× the Pax8 quantity (2)',
    );
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('true');
    server.on('POST /api/sync/plan', ok);
    await type(field('Quantity'), '3');
    expect(root.querySelector('.pv-step .cw-notice.error')).toBeNull();
  });
});

describe('custom invoice text', () => {
  it.each([
    ['', 'Custom text is required.'],
    ['Office E3\nseats', 'Custom text must be on one line: no line breaks, tabs or control characters.'],
    ['x'.repeat(6001), 'Custom text is 6001/6000 characters, over the limit.'],
  ])('%j is refused at the field and not planned', async (typed, message) => {
    const { server } = await openWizard();
    // The Custom radio, found by its label: Microsoft (the guide's third option) now sits before it.
    [...root.querySelectorAll<HTMLInputElement>('input[name="description"]')]
      .find((r) => r.parentElement?.textContent?.trim() === 'Custom')!
      .click();
    await flush();
    const before = plans(server);
    const area = root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Invoice description"]')!;
    area.value = typed;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    expect(area.getAttribute('aria-invalid')).toBe('true');
    const described = (area.getAttribute('aria-describedby') ?? '').split(' ');
    expect(described.map((id) => text(document.getElementById(id)))).toEqual([
      `${Array.from(typed).length}/6000${typed.length > 6000 ? ' characters: too long' : ''}`,
      message,
    ]);
    expect(plans(server)).toBe(before);
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('true');
    area.value = 'Office E3 seats';
    area.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    expect(area.getAttribute('aria-invalid')).toBeNull();
    expect(server.bodies('POST /api/sync/plan').at(-1)).toMatchObject({
      options: { description: { kind: 'custom', text: 'Office E3 seats' } },
    });
  });
});

describe('prorate edit and extra months: bad input is refused at the field', () => {
  it('a prorate edit with quantity 0 and price abc is not saved; fixed, it is sent as typed', async () => {
    const { server } = await openWizard();
    const before = plans(server);
    button('Edit prorate 09/09/2020')?.click();
    await flush();
    const form = () => root.querySelector<HTMLFormElement>('form[aria-label="Edit prorate"]')!;
    field('Quantity', form())!.value = '0';
    field('Prorate price', form())!.value = 'abc';
    form().requestSubmit();
    await flush();
    expect(seen(field('Quantity', form()))).toEqual({
      value: '0',
      invalid: 'true',
      message: 'Quantity must be at least 1.',
    });
    expect(seen(field('Prorate price', form()))).toEqual({
      value: 'abc',
      invalid: 'true',
      message: 'Prorate price must be an amount like 12.50.',
    });
    expect(plans(server)).toBe(before);
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('true');
    field('Quantity', form())!.value = '1';
    field('Prorate price', form())!.value = '17.25';
    form().requestSubmit();
    await flush();
    expect(root.querySelector('form[aria-label="Edit prorate"]')).toBeNull();
    expect(server.bodies('POST /api/sync/plan').at(-1)).toMatchObject({
      options: { prorates: { edit: { '2020-09-09': { unitPrice: '17.25' } } } },
    });
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('false');
  });

  it('an extra-months line with quantity 2.5 and a date in 1999 is not added', async () => {
    const { server } = await openWizard();
    const before = plans(server);
    const form = root.querySelector<HTMLFormElement>('form[aria-label="Extra months addition"]')!;
    field('Quantity', form)!.value = '2.5';
    field('Effective date', form)!.value = '1999-12-01';
    field('Price', form)!.value = '-5';
    form.requestSubmit();
    await flush();
    expect([
      seen(field('Effective date', form)).message,
      seen(field('Quantity', form)).message,
      seen(field('Price', form)).message,
    ]).toEqual([
      'Effective date must be between 01/01/2000 and 12/31/2099.',
      'Quantity must be a whole number, not 2.5.',
      'Price cannot be negative.',
    ]);
    expect(plans(server)).toBe(before);
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('true');
    field('Quantity', form)!.value = '1';
    field('Effective date', form)!.value = '2020-11-01';
    field('Price', form)!.value = '25';
    form.requestSubmit();
    await flush();
    expect(server.bodies('POST /api/sync/plan').at(-1)).toMatchObject({
      options: {
        extraMonths: {
          effectiveDate: '2020-11-01',
          quantity: 1,
          startMonth: '2020-10',
          months: 1,
          unitPrice: '25.00',
        },
      },
    });
    expect(button('Continue')?.getAttribute('aria-disabled')).toBe('false');
  });
});

describe('export form: price and cost are sent as typed or not at all', () => {
  it('refuses abc and 5.999 at their fields and exports nothing; fixed, exports the amounts', async () => {
    const server = new FakePodServer();
    server.on('GET /api/catalog/lookups', () => ({
      body: {
        categories: [{ id: 2, name: 'Business Productivity' }],
        subcategories: [{ id: 5, name: 'Business Productivity', category: { id: 2 } }],
        types: [{ id: 7, name: 'Standalone' }],
        unitsOfMeasure: [{ id: 10, name: 'User' }],
      },
    }));
    server.on(`GET /api/products/${PRODUCT_E3}/pricing`, () => ({
      body: {
        productId: PRODUCT_E3,
        pricing: [{ billingTerm: 'Monthly', rates: [{ partnerBuyRate: 2.4, suggestedRetailPrice: 3 }] }],
      },
    }));
    server.on('POST /api/products/export', () => ({
      status: 201,
      body: { catalogItem: { id: 95, identifier: 'MS-DEF' }, binding: { cwCatalogId: 95 } },
    }));
    const product = createProductModel({
      api: server.api(),
      product: {
        pax8ProductId: PRODUCT_E3,
        productName: 'Microsoft Defender for Business',
        billingTerm: 'Monthly',
      },
    });
    await product.openExport();
    product.setField('price', 'abc');
    product.setField('cost', '5.999');
    expect(await product.exportProduct()).toBe(false);
    expect(product.fieldErrors.value).toEqual({
      price: 'Unit price must be an amount like 12.50.',
      cost: 'Unit cost has at most 2 decimals (cents), e.g. 12.50.',
    });
    expect(server.count('POST /api/products/export')).toBe(0);
    product.setField('price', '3.25');
    product.setField('cost', '2.40');
    expect(await product.exportProduct()).toBe(true);
    expect(product.fieldErrors.value).toEqual({});
    expect(server.bodies('POST /api/products/export')).toMatchObject([{ price: 3.25, cost: 2.4 }]);
  });
});
