// Deterministic demo data for the emulated CW: the demo MSP's 30 customers (server/sandbox/demo/msp.ts),
// their contacts, a catalog holding the Pax8 products that have a cwCatalogId, and 40+ agreements with
// additions. Dates hang off the month of `now`, so "next invoice" stays in the future.

import { formatCents, timesCents, toCents } from '../../billing/money.ts';
import { markerFor, withMarker } from '../../sync/marker.ts';
import { rng, uuidFrom } from '../demo/ids.ts';
import { demoCustomers, demoMsp, demoProducts } from '../demo/msp.ts';
import { ref, seedCatalog, seedLookups } from './demo-lookups.ts';
import { prepareAddition } from './resources.ts';
import { type CwData, createCwData, cwDate, type Row } from './store.ts';

export const demoCwCredentials = {
  companyId: demoMsp.cwCompanyId,
  publicKey: 'DemoPublicKey01',
  privateKey: 'DemoPrivateKey01',
  clientId: uuidFrom('cw-demo-client-id'),
  member: { id: 'jsmith', hash: 'demo-member-hash-jsmith' },
  restricted: { publicKey: 'DemoRestrictedPub', privateKey: 'DemoRestrictedPriv' },
};

function monthStart(now: Date, offset: number): string {
  return cwDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
}

type AgreementSeed = {
  company: Row;
  contact: Row;
  name: string;
  status: 'Active' | 'Cancelled' | 'Expired';
  type: number;
  ahead: boolean;
  monthsAgo: number;
  /** The CW billing cycle: 1 Annual, 2 Monthly (the default), 3 Quarterly. */
  cycle?: number;
};

function addAgreement(data: CwData, now: Date, s: AgreementSeed, info: Record<string, string>): Row {
  const t = data.tables;
  return data.insert('agreements', {
    name: s.name,
    type: ref(t.agreementTypes.rows.get(s.type) as Row),
    company: ref(s.company, 'both'),
    contact: { id: s.contact.id, name: `${s.contact.firstName} ${s.contact.lastName}` },
    agreementStatus: s.status,
    cancelledFlag: s.status === 'Cancelled',
    ...(s.status === 'Cancelled'
      ? { dateCancelled: monthStart(now, -2), reasonCancelled: 'Customer moved the service' }
      : {}),
    startDate: monthStart(now, -s.monthsAgo),
    ...(s.status === 'Expired' ? { endDate: monthStart(now, -1) } : { noEndingDateFlag: true }),
    billingCycle: ref(t.billingCycles.rows.get(s.cycle ?? 2) as Row),
    nextInvoiceDate: s.status === 'Active' ? monthStart(now, s.ahead ? 2 : 1) : null,
    billAmount: 0,
    billTime: 'Billable',
    billExpenses: 'Billable',
    billProducts: 'Billable',
    invoicingCycle: 'CalendarYear',
    prorateFlag: true,
    billOneTimeFlag: false,
    _info: info,
  });
}

function addAddition(
  data: CwData,
  agreement: Row,
  productId: number,
  quantity: number,
  info: Record<string, string>,
): void {
  const product = data.tables.catalog.rows.get(productId) as Row;
  const row = prepareAddition(
    {
      product: { id: product.id, identifier: product.identifier },
      billCustomer: 'Billable',
      quantity,
      effectiveDate: agreement.startDate,
      agreementId: agreement.id,
      invoiceDescription: product.customerDescription,
    },
    data,
  );
  data.insert('additions', { ...row, _info: info });
}

export function createDemoCwData(opts: { now?: Date } = {}): CwData {
  const now = opts.now ?? new Date();
  const c = demoCwCredentials;
  const data = createCwData({ id: c.companyId, name: demoMsp.name }, [
    { publicKey: c.publicKey, privateKey: c.privateKey, scope: 'full' },
    { publicKey: c.restricted.publicKey, privateKey: c.restricted.privateKey, scope: 'restricted' },
  ]);
  data.memberHashes.set(c.member.hash, c.member.id);
  seedLookups(data, now);
  const info = { lastUpdated: cwDate(now), updatedBy: 'jsmith' };
  seedCatalog(data, info);
  const random = rng(42);
  const firstNames = ['Alex', 'Sam', 'Pat', 'Chris', 'Jordan', 'Taylor', 'Morgan', 'Casey'];
  const lastNames = ['Lee', 'Garcia', 'Nguyen', 'Patel', 'Brown', 'Kim', 'Lopez', 'Walker'];
  // Seat products only: usage (Azure) is billed per closed month, so no demo agreement carries it by hand.
  const pax8Items = demoProducts.flatMap((p) => (p.cwCatalogId === undefined || p.usage ? [] : [p]));
  let contactId = 1001;
  demoCustomers.forEach((cust, i) => {
    const company = data.insert('companies', {
      id: cust.cwId,
      identifier: cust.identifier,
      name: cust.name,
      status: { id: 1, name: 'Active' },
      types: [{ id: 1, name: 'Client' }],
      addressLine1: `${100 + i} Main Street`,
      city: cust.city,
      state: cust.state,
      zip: cust.zip,
      country: { id: 1, identifier: 'US', name: 'United States' },
      phoneNumber: cust.phone,
      website: cust.website,
      deletedFlag: false,
      leadFlag: false,
      _info: info,
    });
    const contacts: Row[] = [];
    const n = 1 + (i % 3);
    for (let k = 0; k < n; k++) {
      const firstName = firstNames[(i + k * 3) % firstNames.length] as string;
      const lastName = lastNames[(i * 2 + k) % lastNames.length] as string;
      contacts.push(
        data.insert('contacts', {
          id: contactId++,
          firstName,
          lastName,
          company: ref(company, 'both'),
          defaultFlag: k === 0,
          inactiveFlag: false,
          communicationItems: [
            {
              id: 1,
              type: { id: 1, name: 'Email' },
              value: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${cust.website.replace('www.', '')}`,
              defaultFlag: true,
              communicationType: 'Email',
            },
          ],
          _info: info,
        }),
      );
    }
    const contact = contacts[0] as Row;
    const short = (cust.name.split(/\s+/)[0] ?? cust.identifier).replace(/[^A-Za-z]/g, '');
    const monthsAgo = 3 + Math.floor(random() * 33);
    const main = addAgreement(
      data,
      now,
      {
        company,
        contact,
        name: `${short} Monthly`,
        status: 'Active',
        type: 1,
        ahead: i % 3 === 2,
        monthsAgo,
      },
      info,
    );
    addAddition(data, main, 701, 5 + Math.floor(random() * 40), info);
    if (cust.pax8 !== 'none') {
      for (const p of pax8Items) {
        const skip = cust.identifier === 'AceChemical' ? p.key === 'o365e3' : random() < 0.5;
        if (!skip) addAddition(data, main, p.cwCatalogId as number, 1 + Math.floor(random() * 30), info);
      }
    }
    if (i % 5 === 0) {
      const cloud = addAgreement(
        data,
        now,
        {
          company,
          contact,
          name: `${short} Cloud Services`,
          status: 'Active',
          type: 2,
          ahead: true,
          monthsAgo: 2,
        },
        info,
      );
      addAddition(data, cloud, 686, 1 + Math.floor(random() * 20), info);
    }
    if (i < 8) {
      const old = addAgreement(
        data,
        now,
        {
          company,
          contact,
          name: `${short} Legacy Backup`,
          status: 'Cancelled',
          type: 1,
          ahead: false,
          monthsAgo: 40,
        },
        info,
      );
      addAddition(data, old, 704, 1, info);
    }
    if (i >= 8 && i < 12) {
      addAgreement(
        data,
        now,
        {
          company,
          contact,
          name: `${short} 2024 Project Block`,
          status: 'Expired',
          type: 3,
          ahead: false,
          monthsAgo: 24,
        },
        info,
      );
    }
  });
  addAnnualCycleAgreement(data, now, info);
  return data;
}

/** Dollars per seat per year from a monthly-equivalent rate, to the cent. */
const yearly = (monthly: number): number =>
  Number(formatCents(timesCents(toCents(monthly, 'rate'), 12, 'months')));

/**
 * Gibson's annual Business Basic, paid up front, billed on an agreement invoiced once a year (CW billing cycle
 * Annual): the recurring alternative of spec §5, as this product writes it (one recurring addition for the year's
 * 10 seats at 12 × 5.70 = 68.40 a seat, with its marker). Added after every other row so no demo id moves.
 */
function addAnnualCycleAgreement(data: CwData, now: Date, info: Record<string, string>): void {
  const customer = demoCustomers.find((c) => c.identifier === 'GibsonPottYork');
  const product = demoProducts.find((p) => p.key === 'm365bb');
  if (!customer || !product?.annual || product.cwCatalogId === undefined) return;
  const company = data.tables.companies.rows.get(customer.cwId) as Row;
  const contact = [...data.tables.contacts.rows.values()].find(
    (c) => (c.company as { id: number }).id === customer.cwId && c.defaultFlag,
  ) as Row;
  const agreement = addAgreement(
    data,
    now,
    {
      company,
      contact,
      name: 'Gibson Annual',
      status: 'Active',
      type: 2,
      ahead: false,
      monthsAgo: 2,
      cycle: 1,
    },
    info,
  );
  // The subscription's id in the emulated Pax8 (pax8/demo-data.ts: Gibson's fourth scripted subscription).
  const subscriptionId = uuidFrom('pax8-sub:GibsonPottYork:3');
  const item = data.tables.catalog.rows.get(product.cwCatalogId) as Row;
  const row = prepareAddition(
    {
      product: { id: item.id, identifier: item.identifier },
      billCustomer: 'Billable',
      quantity: 10,
      unitPrice: yearly(product.annual.price),
      unitCost: yearly(product.annual.cost),
      effectiveDate: agreement.startDate,
      agreementId: agreement.id,
      invoiceDescription: `Pax8 - ${product.name}`.slice(0, 50),
      description: withMarker(
        String(item.description ?? ''),
        markerFor(subscriptionId, 'recurring', 'demo:gibson-annual'),
      ),
    },
    data,
  );
  data.insert('additions', { ...row, _info: info });
}

/**
 * A large data set for benchmarks: `companies` companies with `agreementsPerCompany` active agreements each
 * (default 1), additions spread over them.
 */
export function generateLargeCwData(opts: {
  companies: number;
  additions: number;
  agreementsPerCompany?: number;
  now?: Date;
}): CwData {
  const now = opts.now ?? new Date('2026-01-15T00:00:00Z');
  const c = demoCwCredentials;
  const data = createCwData({ id: c.companyId, name: demoMsp.name }, [
    { publicKey: c.publicKey, privateKey: c.privateKey, scope: 'full' },
  ]);
  seedLookups(data, now);
  const info = { lastUpdated: cwDate(now), updatedBy: 'jsmith' };
  seedCatalog(data, info);
  const catalogIds = [...data.tables.catalog.rows.keys()];
  const agreements: Row[] = [];
  for (let i = 1; i <= opts.companies; i++) {
    const identifier = `Company${String(i).padStart(5, '0')}`;
    const company = data.insert('companies', {
      id: i,
      identifier,
      name: `Company ${i}`,
      city: 'Denver',
      state: 'CO',
      _info: info,
    });
    const contact = data.insert('contacts', {
      id: i,
      firstName: 'Contact',
      lastName: String(i),
      company: ref(company, 'both'),
      _info: info,
    });
    for (let n = 0; n < (opts.agreementsPerCompany ?? 1); n++) {
      agreements.push(
        addAgreement(
          data,
          now,
          {
            company,
            contact,
            name: n === 0 ? `${identifier} Monthly` : `${identifier} Monthly ${n + 1}`,
            status: 'Active',
            type: 1,
            ahead: i % 2 === 0,
            monthsAgo: 6,
          },
          info,
        ),
      );
    }
  }
  for (let k = 0; k < opts.additions && agreements.length > 0; k++) {
    const agreement = agreements[k % agreements.length] as Row;
    addAddition(data, agreement, catalogIds[k % catalogIds.length] as number, 1 + (k % 25), info);
  }
  return data;
}
