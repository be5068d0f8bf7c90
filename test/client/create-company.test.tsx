// Create and Bind in the pod (guide "Import Company"): the rules of the fields Pax8 requires, the form
// pre-filled from ConnectWise, errors in place, one request per click, and the view reloaded once bound.
import { render } from 'preact';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { createCreateCompanyModel } from '../../client/state/create-company-model.ts';
import { type CompanyForm, companyErrors, contactErrors } from '../../client/state/create-company-rules.ts';
import { NewCompanySchema } from '../../server/pax8/company-input.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, PAX8_ACE, unboundView } from './pod-fakes.ts';

const root = useMountPoint();

const filled: CompanyForm = {
  name: 'Ace Chemical Processing Plant',
  street: '100 Main Street',
  street2: '',
  city: 'Gotham',
  stateOrProvince: 'NJ',
  postalCode: '07001',
  country: 'US',
  phone: '555-0100',
  website: 'www.acechemical.example',
};
const prefill = {
  cwCompanyId: 19,
  company: filled,
  contacts: [
    { cwContactId: 1001, name: 'Ava Lee', email: 'ava.lee@acechemical.example' },
    { cwContactId: 1002, name: 'Ben Kim', email: null },
  ],
};
const created = {
  binding: { cwCompanyId: 19, pax8CompanyId: PAX8_ACE, name: 'Ace Chemical Processing Plant' },
  outcome: 'created',
};

describe('the fields Pax8 requires', () => {
  it.each<[string, Partial<CompanyForm>, Record<string, string>]>([
    ['all filled', {}, {}],
    ['no name, no city', { name: ' ', city: '' }, { name: 'Name is required', city: 'City is required' }],
    [
      'US zip of 4 digits',
      { postalCode: '7001' },
      { postalCode: 'Zip code must be 5 digits (or 12345-6789)' },
    ],
    ['US zip+4', { postalCode: '07001-1234' }, {}],
    [
      'Canadian code in the US form',
      { country: 'CA', postalCode: '07001' },
      { postalCode: 'Postal code must look like A1A 1A1' },
    ],
    ['Canadian code', { country: 'CA', postalCode: 'K1A 0B1' }, {}],
    [
      'country spelled out',
      { country: 'United States' },
      {
        country: 'Country must be a two-letter code (US, CA, GB…)',
      },
    ],
    [
      'phone of 3 digits',
      { phone: '555' },
      { phone: 'Phone must be digits, at least 7 (spaces, dashes and brackets allowed)' },
    ],
    [
      'domain without a dot',
      { website: 'acechemical' },
      { website: 'Domain must look like www.example.com' },
    ],
    ['address 2 is optional', { street2: '' }, {}],
  ])('%s', (_name, patch, errors) => {
    expect(companyErrors({ ...filled, ...patch })).toEqual(errors);
  });

  it('a new contact needs a name and a valid email; the phone is optional', () => {
    expect(contactErrors({ firstName: '', lastName: 'Ross', email: 'nick', phone: '' })).toEqual({
      firstName: 'First name is required',
      email: 'Email is not valid',
    });
    expect(
      contactErrors({ firstName: 'Nick', lastName: 'Ross', email: 'nick@msp.example', phone: '' }),
    ).toEqual({});
  });
});

function setup() {
  const server = new FakePodServer();
  server.on('GET /api/bindings/company/19/prefill', () => ({ body: prefill }));
  server.on('POST /api/bindings/company/create', () => ({ status: 201, body: created }));
  let bound = 0;
  const model = createCreateCompanyModel({ api: server.api(), onBound: () => void bound++ });
  return { server, model, bound: () => bound };
}

describe('the Create and Bind model', () => {
  it('opens pre-filled from ConnectWise, the first contact with an email chosen', async () => {
    const { model } = setup();
    await model.open(19);
    expect(model.state.value).toEqual({ status: 'editing' });
    expect(model.company.value).toEqual(filled);
    expect(model.contactMode.value).toBe('existing');
    expect(model.existingContactId.value).toBe('1001');
    expect(model.errors.value).toEqual({});
  });

  it('shows a field error once the field is left, and sends nothing while one remains', async () => {
    const { model, server } = setup();
    await model.open(19);
    model.setCompany('postalCode', '7001');
    expect(model.errors.value).toEqual({}); // not yet left
    model.touch('company.postalCode');
    expect(model.errors.value).toEqual({ 'company.postalCode': 'Zip code must be 5 digits (or 12345-6789)' });
    expect(await model.submit()).toBe(false);
    expect(server.count('POST /api/bindings/company/create')).toBe(0);
  });

  it('a contact without an email cannot be the primary contact', async () => {
    const { model } = setup();
    await model.open(19);
    model.setExistingContact('1002');
    expect(await model.submit()).toBe(false);
    expect(model.errors.value['contact.cwContactId']).toBe(
      'Ben Kim has no email in ConnectWise; choose another or create a new contact',
    );
  });

  it('sends the form once on a double click and reports the view bound', async () => {
    const { model, server, bound } = setup();
    await model.open(19);
    const [a, b] = await Promise.all([model.submit(), model.submit()]);
    expect([a, b]).toEqual([true, false]);
    expect(server.bodies('POST /api/bindings/company/create')).toEqual(
      [
        {
          cwCompanyId: 19,
          company: { ...filled, street2: undefined },
          contact: { kind: 'existing', cwContactId: 1001 },
        },
      ].map((body) => JSON.parse(JSON.stringify(body))),
    );
    expect(bound()).toBe(1);
    expect(model.state.value).toEqual({ status: 'done', name: 'Ace Chemical Processing Plant' });
  });

  it("puts the server's field refusals on their fields, and a refusal naming none above the buttons", async () => {
    const { model, server } = setup();
    server.on('POST /api/bindings/company/create', () => ({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: 'Invalid request body: contact.contact.email: Email is not valid',
          details: [{ path: 'contact.contact.email', message: 'Email is not valid' }],
        },
      },
    }));
    await model.open(19);
    model.setContactMode('new');
    model.setContact('firstName', 'Nick');
    model.setContact('lastName', 'Ross');
    model.setContact('email', 'nick@msp.example');
    expect(await model.submit()).toBe(false);
    expect(model.errors.value).toEqual({ 'contact.email': 'Email is not valid' });
    model.setContact('email', 'nick@msp2.example');
    expect(model.errors.value).toEqual({});

    server.on('POST /api/bindings/company/create', () => ({
      status: 502,
      body: {
        error: {
          code: 'upstream_rejected',
          message: 'Pax8 refused POST /companies (HTTP 422): Invalid company',
        },
      },
    }));
    expect(await model.submit()).toBe(false);
    expect(model.message.value).toBe('Pax8 refused POST /companies (HTTP 422): Invalid company');
  });
});

describe('in the pod', () => {
  it('an unbound company offers Create and Bind; once bound the view reloads bound', async () => {
    const server = new FakePodServer();
    let isBound = false;
    server.on('GET /api/views/agreement/290', () => ({ body: isBound ? boundView : unboundView }));
    server.on('GET /api/bindings/company/19/prefill', () => ({ body: prefill }));
    server.on('POST /api/bindings/company/create', () => {
      isBound = true;
      return { status: 201, body: created };
    });
    const models = createRecordModels({ api: server.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    const offer = [...root.querySelectorAll('button')].find((b) => text(b) === 'Create in Pax8 and bind…');
    offer?.click();
    await flush();
    const form = root.querySelector<HTMLFormElement>('form[aria-labelledby="pv-create-title"]');
    expect(form).not.toBeNull();
    const name = [...root.querySelectorAll('label')].find((l) => text(l).startsWith('Name'));
    expect(name?.querySelector('input')?.value).toBe('Ace Chemical Processing Plant');
    expect(name?.querySelector('input')?.required).toBe(true);
    form?.requestSubmit();
    await flush(10);
    expect(server.count('POST /api/bindings/company/create')).toBe(1);
    expect(root.querySelector('#pv-bind-title')).toBeNull();
    expect(
      models.record.state.value.status === 'ready' && models.record.state.value.view.binding?.pax8CompanyId,
    ).toBe(PAX8_ACE);
  });
});

describe('the pod and the server judge the form alike', () => {
  // The same table through the pod's rules and the server's schema: a field the pod accepts, Pax8 accepts.
  it.each<[string, Partial<CompanyForm>]>([
    ['all filled', {}],
    ['no name', { name: '' }],
    ['no street, no city', { street: '', city: '' }],
    ['US zip of 4 digits', { postalCode: '7001' }],
    ['Canadian code in the US form', { country: 'CA', postalCode: '07001' }],
    ['country spelled out', { country: 'United States' }],
    ['phone of 3 digits', { phone: '555' }],
    ['domain without a dot', { website: 'acechemical' }],
  ])('%s', (_name, patch) => {
    const form = { ...filled, ...patch };
    const result = v.safeParse(NewCompanySchema, form);
    const server = result.success
      ? {}
      : Object.fromEntries(result.issues.map((i) => [v.getDotPath(i) ?? '', i.message]));
    expect(server).toEqual(companyErrors(form));
  });
});
