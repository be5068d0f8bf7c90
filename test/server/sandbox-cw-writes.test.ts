// Writes against the emulated CW: additions CRUD with catalog defaults, JSON-Patch, hosted setups,
// menu entries, the screens report, and fault injection.
import { describe, expect, it } from 'vitest';
import { base, setup } from './sandbox-cw-helpers.ts';

const aceMonthly = async (call: ReturnType<typeof setup>['call']) => {
  const res = await call('GET', '/finance/agreements?conditions=name="Ace Monthly"');
  return res.json[0].id as number;
};

describe('agreement additions', () => {
  it('creates an addition with catalog defaults and computed amounts, then counts, patches, puts, deletes', async () => {
    const { call } = setup();
    const id = await aceMonthly(call);
    const before = await call('GET', `/finance/agreements/${id}/additions/count`);
    const hasE3 = await call(
      'GET',
      `/finance/agreements/${id}/additions?conditions=product/identifier="MST-OFC-EE3-C100"`,
    );
    expect(hasE3.json).toEqual([]);

    const created = await call('POST', `/finance/agreements/${id}/additions`, {
      product: { id: 682 },
      billCustomer: 'Billable',
      quantity: 7,
      effectiveDate: '2026-03-01T00:00:00.000Z',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      product: {
        id: 682,
        identifier: 'MST-OFC-EE3-C100',
        _info: { catalog_href: `${base}/procurement/catalog/682` },
      },
      agreementId: id,
      quantity: 7,
      unitPrice: 25,
      unitCost: 20,
      extPrice: 175,
      extCost: 140,
      margin: 35,
      description: 'Pax8 - Office 365 Enterprise E3',
      uom: 'User',
      effectiveDate: '2026-03-01T00:00:00Z',
      agreementStatus: 'Active',
      _info: { lastUpdated: '2026-03-10T15:00:00Z', updatedBy: 'Pax8Api' },
    });
    const addId = created.json.id as number;
    const after = await call('GET', `/finance/agreements/${id}/additions/count`);
    expect(after.json.count).toBe(before.json.count + 1);

    const patched = await call('PATCH', `/finance/agreements/${id}/additions/${addId}`, [
      { op: 'replace', path: 'quantity', value: 10 },
      { op: 'replace', path: '/unitPrice', value: 24.5 },
    ]);
    expect(patched.status).toBe(200);
    expect([
      patched.json.quantity,
      patched.json.unitPrice,
      patched.json.extPrice,
      patched.json.margin,
    ]).toEqual([10, 24.5, 245, 45]);

    const put = await call('PUT', `/finance/agreements/${id}/additions/${addId}`, {
      product: { identifier: 'MST-OFC-EE3-C100' },
      billCustomer: 'Billable',
      quantity: 2,
      unitPrice: 30,
    });
    expect([put.status, put.json.id, put.json.extPrice, put.json.extCost]).toEqual([200, addId, 60, 40]);

    const del = await call('DELETE', `/finance/agreements/${id}/additions/${addId}`);
    expect([del.status, del.json]).toEqual([204, undefined]);
    const gone = await call('GET', `/finance/agreements/${id}/additions/${addId}`);
    expect(gone.status).toBe(404);
  });

  it.each([
    [{ billCustomer: 'Billable' }, 'product', 'NullValue'],
    [{ product: { id: 999 }, billCustomer: 'Billable' }, 'product', 'InvalidField'],
    [{ product: { id: 682 }, billCustomer: 'Sometimes' }, 'billCustomer', 'InvalidField'],
    [
      { product: { id: 682 }, billCustomer: 'Billable', serialNumber: 'S'.repeat(51) },
      'serialNumber',
      'InvalidField',
    ],
  ])('rejects %j', async (body, field, code) => {
    const { call } = setup();
    const res = await call('POST', `/finance/agreements/${await aceMonthly(call)}/additions`, body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('InvalidObject');
    expect(res.json.message).toBe('agreementAddition object is invalid');
    expect(res.json.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      [field, code],
    ]);
  });

  it('will not reach an addition through another agreement', async () => {
    const { call } = setup();
    const id = await aceMonthly(call);
    const [first] = (await call('GET', `/finance/agreements/${id}/additions`)).json;
    const other = await call('GET', `/finance/agreements/${id + 1}/additions/${first.id}`);
    expect(other.status).toBe(404);
  });
});

describe('catalog JSON-Patch', () => {
  it('replaces nested and top-level fields and rejects non-array bodies', async () => {
    const { call } = setup();
    const res = await call('PATCH', '/procurement/catalog/701', [
      { op: 'replace', path: 'price', value: 49 },
      { op: 'replace', path: 'unitOfMeasure', value: { id: 1 } },
    ]);
    expect([res.status, res.json.price, res.json.unitOfMeasure.name]).toEqual([200, 49, 'User']);
    const bad = await call('PATCH', '/procurement/catalog/701', { price: 1 });
    expect([bad.status, bad.json.code]).toEqual([400, 'InvalidObject']);
    const tooLong = await call('PATCH', '/procurement/catalog/701', [
      { op: 'replace', path: 'description', value: 'D'.repeat(61) },
    ]);
    expect(tooLong.json.errors[0]).toEqual({
      code: 'InvalidField',
      message: 'The field description must be a string with a maximum length of 60.',
      resource: 'catalogItem',
      field: 'description',
    });
  });

  it('answers subcategories with and without the trailing slash', async () => {
    const { call } = setup();
    const a = await call('GET', '/procurement/subcategories/?conditions=category/name="Cloud Services"');
    const b = await call('GET', '/procurement/subcategories?conditions=category/name="Cloud Services"');
    expect(a.json.map((s: { name: string }) => s.name)).toEqual(['Microsoft 365', 'Backup', 'Security']);
    expect(b.json).toEqual(a.json);
  });
});

describe('hosted setups and menu entries', () => {
  it('CRUD + count on system/connectwisehostedsetups', async () => {
    const { call } = setup();
    const body = {
      screenId: 1,
      description: 'Pax8',
      url: 'https://pod.example/?id=[cw_id]',
      origin: 'https://pod.example',
      type: 'Pod',
    };
    const created = await call('POST', '/system/connectwisehostedsetups', body);
    expect(created.status).toBe(201);
    expect((await call('GET', '/system/connectwisehostedsetups/count')).json).toEqual({ count: 2 });
    const patched = await call('PATCH', `/system/connectwisehostedsetups/${created.json.id}`, [
      { op: 'replace', path: 'podHeight', value: 400 },
    ]);
    expect([patched.json.podHeight, patched.json.description]).toEqual([400, 'Pax8']);
    const found = await call(
      'GET',
      '/system/connectwisehostedsetups?conditions=description="pax8" and screenId=1',
    );
    expect(found.json.map((s: { id: number }) => s.id)).toEqual([created.json.id]);
    expect((await call('DELETE', `/system/connectwisehostedsetups/${created.json.id}`)).status).toBe(204);
    expect((await call('GET', '/system/connectwisehostedsetups/count')).json).toEqual({ count: 1 });
  });

  it('creates a menu entry and requires its fields', async () => {
    const { call } = setup();
    const missing = await call('POST', '/system/menuentries', { caption: 'Pax8' });
    expect(missing.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'menuLocation',
      'link',
      'newWindowFlag',
    ]);
    const ok = await call('POST', '/system/menuentries', {
      menuLocation: { id: 1 },
      caption: 'Pax8',
      link: 'https://pod.example/screen',
      newWindowFlag: false,
    });
    expect(ok.status).toBe(201);
  });
});

describe('the ConnectWiseHostedApiScreen report', () => {
  it('lists the seven reference screens plus AgreementDetail', async () => {
    const res = await setup().call('GET', '/system/reports/ConnectWiseHostedApiScreen');
    expect(res.json.row_values).toEqual([
      [1, 'CompanyDetail'],
      [2, 'ContactDetail'],
      [3, 'ConnectWiseToday'],
      [4, 'ServiceTicket'],
      [5, 'ProjectTicket'],
      [6, 'SalesOrderDetail'],
      [7, 'CompanyFinanceDetail'],
      [8, 'AgreementDetail'],
    ]);
    expect(Object.keys(res.json.column_definitions[0])).toEqual(['Presenter_Identifier_Client_Api_RecID']);
  });
});

describe('fault injection', () => {
  it('429 with Retry-After, then 500, then normal', async () => {
    const { call, faults } = setup();
    faults.set({ rateLimitNext: 1, retryAfterSeconds: 7, serverErrorNext: 1 });
    const limited = await call('GET', '/system/info');
    expect([limited.status, limited.headers.get('retry-after'), limited.json.code]).toEqual([
      429,
      '7',
      'TooManyRequests',
    ]);
    const failed = await call('GET', '/system/info');
    expect([failed.status, failed.json.code]).toEqual([500, 'ServerError']);
    expect((await call('GET', '/system/info')).status).toBe(200);
  });

  it('fails every write after N writes, set and cleared over HTTP', async () => {
    const { call } = setup();
    const faultsUrl = 'http://cw.test/sandbox/cw/_faults';
    expect((await call('POST', faultsUrl, { failAfterWrites: 1 })).json.failAfterWrites).toBe(1);
    const body = { name: 'Tools' };
    expect((await call('POST', '/procurement/categories', body)).status).toBe(201);
    expect((await call('POST', '/procurement/categories', body)).status).toBe(500);
    expect((await call('GET', '/procurement/categories/count')).json).toEqual({ count: 4 });
    await call('DELETE', faultsUrl);
    expect((await call('POST', '/procurement/categories', body)).status).toBe(201);
  });
});
