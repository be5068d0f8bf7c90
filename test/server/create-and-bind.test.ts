// Create and Bind (issue 10 item 4, guide "Import Company") through the front door, against the emulated
// ConnectWise and Pax8: the form pre-filled from ConnectWise, Pax8's validation, and never a second Pax8 company.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPax8Client } from '../../server/pax8/client.ts';
import { createCompanyBody } from '../../server/pax8/company-input.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { demoCustomer, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const quarry = demoCustomer('QuarryCafe'); // no Pax8 company at all

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

const companyOf = (cwId: number) =>
  [...h.pax8.data.companies.values()].filter((c) => c.externalId === String(cwId));

const form = {
  name: 'Quarry Street Cafe',
  street: '123 Quarry Street',
  city: 'Burlington',
  stateOrProvince: 'VT',
  postalCode: '05401',
  country: 'US',
  phone: '802-555-0142',
  website: 'www.quarrycafe.example',
};
const newContact = {
  kind: 'new',
  contact: { firstName: 'Nicholas', lastName: 'Ross', email: 'nick@msp.example' },
};
const createBody = { cwCompanyId: quarry.cwId, company: form, contact: newContact };

describe('the form pre-filled from ConnectWise', () => {
  it('reads the company and its contacts, default contact first', async () => {
    const res = await h.call('GET', `/api/bindings/company/${quarry.cwId}/prefill`);
    expect(res.status).toBe(200);
    expect(res.json.company).toEqual({
      name: 'Quarry Street Cafe',
      street: '119 Main Street',
      street2: '',
      city: 'Burlington',
      stateOrProvince: 'VT',
      postalCode: '05401',
      country: 'US',
      phone: '555-0119',
      website: 'www.quarrycafe.example',
    });
    expect(res.json.contacts.length).toBeGreaterThan(0);
    expect(res.json.contacts[0]).toMatchObject({ email: expect.stringMatching(/@quarrycafe\.example$/) });
  });

  it('is a 404 for a company ConnectWise does not have', async () => {
    expect((await h.call('GET', '/api/bindings/company/99999/prefill')).status).toBe(404);
  });
});

describe('creating the company in Pax8 and binding it', () => {
  it('creates it Active with its primary contact and the ConnectWise id, binds it, audits it', async () => {
    const res = await h.call('POST', '/api/bindings/company/create', createBody);
    expect(res.status).toBe(201);
    expect(res.json.outcome).toBe('created');
    const [made, ...more] = companyOf(quarry.cwId);
    expect(more).toEqual([]);
    expect(made).toMatchObject({
      name: 'Quarry Street Cafe',
      status: 'Active',
      phone: '802-555-0142',
      website: 'www.quarrycafe.example',
      address: { street: '123 Quarry Street', postalCode: '05401', country: 'US', stateOrProvince: 'VT' },
    });
    const contacts = h.pax8.data.contacts.get(made?.id ?? '') ?? [];
    expect(contacts.map((c) => c.email)).toEqual(['nick@msp.example']);
    expect(res.json.binding).toEqual({
      cwCompanyId: quarry.cwId,
      pax8CompanyId: made?.id,
      name: 'Quarry Street Cafe',
    });
    expect(await h.repos.companyBindings.byCw(h.tenant.id, quarry.cwId)).toMatchObject({
      pax8CompanyId: made?.id,
      createdBy: 'jsmith',
    });
    const audit = await h.repos.audit.list(h.tenant.id);
    expect(audit.map((a) => a.action)).toEqual(['company.create_and_bind']);

    const view = await h.call('GET', `/api/views/company/${quarry.cwId}`);
    expect(view.json.binding).toEqual({ pax8CompanyId: made?.id, name: 'Quarry Street Cafe' });
  });

  it('a second click after success answers the same binding and creates nothing', async () => {
    expect((await h.call('POST', '/api/bindings/company/create', createBody)).status).toBe(201);
    const again = await h.call('POST', '/api/bindings/company/create', createBody);
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('already');
    expect(companyOf(quarry.cwId)).toHaveLength(1);
  });

  it('a double click sent at once creates one Pax8 company', async () => {
    const answers = await Promise.all([
      h.call('POST', '/api/bindings/company/create', createBody),
      h.call('POST', '/api/bindings/company/create', createBody),
    ]);
    // One creates; the other waits out the lock's refusal (409) or, arriving after, reads the binding (200).
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect([200, 409]).toContain(statuses.find((s) => s !== 201));
    expect(companyOf(quarry.cwId)).toHaveLength(1);
  });

  it('after an unbind, Create and Bind binds the company it made before; one deleted in Pax8 is made again', async () => {
    const first = await h.call('POST', '/api/bindings/company/create', createBody);
    const made = first.json.binding.pax8CompanyId;
    expect((await h.call('DELETE', '/api/bindings/company', { cwCompanyId: quarry.cwId })).status).toBe(200);
    const again = await h.call('POST', '/api/bindings/company/create', createBody);
    expect([again.status, again.json.outcome, again.json.binding.pax8CompanyId]).toEqual([
      200,
      'found',
      made,
    ]);
    expect(companyOf(quarry.cwId)).toHaveLength(1);

    expect((await h.call('DELETE', '/api/bindings/company', { cwCompanyId: quarry.cwId })).status).toBe(200);
    const old = h.pax8.data.companies.get(made);
    if (old) h.pax8.data.companies.set(made, { ...old, status: 'Deleted' });
    const fresh = await h.call('POST', '/api/bindings/company/create', createBody);
    expect([fresh.status, fresh.json.outcome]).toEqual([201, 'created']);
    expect(fresh.json.binding.pax8CompanyId).not.toBe(made);
  });

  it('a lost answer: the retry finds the company the first attempt made instead of creating another', async () => {
    h.interceptUpstream(async (req, send) => {
      const res = await send(req);
      if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/companies')) {
        return new Response('gateway timeout', { status: 504 });
      }
      return res;
    });
    const first = await h.call('POST', '/api/bindings/company/create', createBody);
    expect(first.status).toBe(409);
    expect(first.json.error.code).toBe('write_outcome_unknown');
    expect(companyOf(quarry.cwId)).toHaveLength(1);
    expect(await h.repos.companyBindings.byCw(h.tenant.id, quarry.cwId)).toBeNull();

    h.interceptUpstream(null);
    const retry = await h.call('POST', '/api/bindings/company/create', createBody);
    expect(retry.status).toBe(200);
    expect(retry.json.outcome).toBe('found');
    const [made, ...more] = companyOf(quarry.cwId);
    expect(more).toEqual([]);
    expect(retry.json.binding.pax8CompanyId).toBe(made?.id);
  });

  it('Pax8 refusing the company leaves nothing bound, and the corrected form goes through', async () => {
    let refuse = true;
    h.interceptUpstream(async (req, send) => {
      if (refuse && req.method === 'POST' && new URL(req.url).pathname.endsWith('/companies')) {
        refuse = false;
        const body = {
          type: 'UNPROCESSABLE_ENTITY',
          message: 'Invalid company',
          instance: '/v1/companies',
          status: 422,
          details: [{ type: 'INVALID_PARAM', message: 'website is already used by another company' }],
        };
        return Response.json(body, { status: 422 });
      }
      return send(req);
    });
    const refused = await h.call('POST', '/api/bindings/company/create', createBody);
    expect(refused.status).toBe(502);
    expect(refused.json.error.message).toContain('website is already used by another company');
    expect(companyOf(quarry.cwId)).toHaveLength(0);
    expect(await h.repos.companyBindings.byCw(h.tenant.id, quarry.cwId)).toBeNull();

    const fixed = await h.call('POST', '/api/bindings/company/create', {
      ...createBody,
      company: { ...form, website: 'quarry-street-cafe.example' },
    });
    expect(fixed.status).toBe(201);
    expect(companyOf(quarry.cwId)[0]?.website).toBe('quarry-street-cafe.example');
  });

  it('uses an existing ConnectWise contact, copying its name and email', async () => {
    const prefill = await h.call('GET', `/api/bindings/company/${quarry.cwId}/prefill`);
    const contact = prefill.json.contacts[0];
    const res = await h.call('POST', '/api/bindings/company/create', {
      ...createBody,
      contact: { kind: 'existing', cwContactId: contact.cwContactId },
    });
    expect(res.status).toBe(201);
    const made = companyOf(quarry.cwId)[0];
    const [pax8Contact] = h.pax8.data.contacts.get(made?.id ?? '') ?? [];
    expect(`${pax8Contact?.firstName} ${pax8Contact?.lastName}`).toBe(contact.name);
    expect(pax8Contact?.email).toBe(contact.email);
  });

  it('refuses a company already bound to another Pax8 company (unbind first)', async () => {
    const ace = demoCustomer('AceChemical');
    const res = await h.call('POST', '/api/bindings/company/create', {
      ...createBody,
      cwCompanyId: ace.cwId,
    });
    expect(res.status).toBe(409);
    expect(companyOf(ace.cwId).length).toBe(1); // the demo's own, untouched
  });
});

describe('fields Pax8 requires, validated before Pax8 is called', () => {
  it.each([
    ['no name', { name: '  ' }, 'company.name', 'Name is required'],
    ['no street', { street: '' }, 'company.street', 'Address 1 is required'],
    ['no city', { city: '' }, 'company.city', 'City is required'],
    ['no state', { stateOrProvince: '' }, 'company.stateOrProvince', 'State is required'],
    [
      'US zip of 4 digits',
      { postalCode: '5401' },
      'company.postalCode',
      'Zip code must be 5 digits (or 12345-6789)',
    ],
    [
      'country spelled out',
      { country: 'United States' },
      'company.country',
      'Country must be a two-letter code (US, CA, GB…)',
    ],
    [
      'phone too short',
      { phone: '555' },
      'company.phone',
      'Phone must be digits, at least 7 (spaces, dashes and brackets allowed)',
    ],
    [
      'domain without a dot',
      { website: 'quarrycafe' },
      'company.website',
      'Domain must look like www.example.com',
    ],
  ])('%s', async (_name, patch, path, message) => {
    const res = await h.call('POST', '/api/bindings/company/create', {
      ...createBody,
      company: { ...form, ...patch },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toContainEqual({ path, message });
    expect(companyOf(quarry.cwId)).toHaveLength(0);
  });

  it('a new contact needs a valid email', async () => {
    const res = await h.call('POST', '/api/bindings/company/create', {
      ...createBody,
      contact: { kind: 'new', contact: { firstName: 'N', lastName: 'R', email: 'nick' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toContainEqual({
      path: 'contact.contact.email',
      message: 'Email is not valid',
    });
  });

  it('the emulated Pax8 refuses blank required fields itself, with one detail per field', async () => {
    const pax8 = createPax8Client({
      baseURL: 'http://pax8.test/v1',
      clientId: demoPax8Credentials.clientId,
      clientSecret: demoPax8Credentials.clientSecret,
      fetch: async (input, init) => h.pax8.app.request(new Request(input, init)),
    });
    const before = h.pax8.data.companies.size;
    const body = createCompanyBody({ ...form, street: ' ', postalCode: '5401' }, newContact.contact, '1');
    const err = await pax8.companies.create(body).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_rejected', details: { upstreamStatus: 422 } });
    expect((err as Error).message).toBe(
      'Pax8 refused POST /companies (HTTP 422): Invalid company: address.street must not be blank: address.postalCode is not a valid US postal code',
    );
    expect(h.pax8.data.companies.size).toBe(before);
  });
});
