// Deterministic demo data for the emulated CW: the demo MSP's 30 customers (server/sandbox/demo/msp.ts),
// their contacts, a catalog holding the Pax8 products that have a cwCatalogId, and 40+ agreements with
// additions. Dates hang off the month of `now`, so "next invoice" stays in the future.
import { rng, uuidFrom } from '../demo/ids.ts';
import { demoCustomers, demoMsp, demoProducts } from '../demo/msp.ts';
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

const ref = (row: Row, label: 'name' | 'identifier' | 'both' = 'name') => ({
  id: row.id,
  ...(label !== 'name' ? { identifier: row.identifier } : {}),
  ...(label !== 'identifier' ? { name: row.name } : {}),
});

function monthStart(now: Date, offset: number): string {
  return cwDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
}

/** Lookups every data set shares: countries, catalog taxonomy, agreement types, billing cycles, members. */
export function seedLookups(data: CwData, now: Date): void {
  const info = { lastUpdated: cwDate(now), updatedBy: 'Admin' };
  for (const [id, identifier, name] of [
    [1, 'US', 'United States'],
    [2, 'CA', 'Canada'],
    [3, 'GB', 'United Kingdom'],
  ] as const) {
    data.insert('countries', { id, identifier, name, defaultFlag: id === 1 });
  }
  ['Cloud Services', 'Managed Services', 'Hardware'].forEach((name, i) => {
    data.insert('categories', { id: i + 1, name, defaultFlag: false, inactiveFlag: false, _info: info });
  });
  for (const [id, name, cat] of [
    [1, 'Microsoft 365', 1],
    [2, 'Backup', 1],
    [3, 'Security', 1],
    [4, 'Workstation', 2],
    [5, 'Server', 2],
  ] as const) {
    const category = data.tables.categories.rows.get(cat) as Row;
    data.insert('subcategories', { id, name, category: ref(category), inactiveFlag: false, _info: info });
  }
  for (const [id, name, typeXref] of [
    [1, 'Subscription', 'NonInventoryPart'],
    [2, 'Service', 'Service'],
    [3, 'Hardware', 'InventoryPart'],
  ] as const) {
    data.insert('types', { id, name, typeXref, defaultFlag: id === 1, inactiveFlag: false, _info: info });
  }
  ['User', 'License', 'Each', 'Flat Fee'].forEach((name, i) => {
    data.insert('unitOfMeasures', {
      id: i + 1,
      name,
      defaultFlag: name === 'Each',
      inactiveFlag: false,
      _info: info,
    });
  });
  ['Managed Services', 'Cloud Services', 'Block Time'].forEach((name, i) => {
    data.insert('agreementTypes', {
      id: i + 1,
      name,
      defaultFlag: i === 0,
      inactiveFlag: false,
      _info: info,
    });
  });
  ['Annual', 'Monthly', 'Quarterly'].forEach((name, i) => {
    data.insert('billingCycles', { id: i + 1, name, _info: info });
  });
  for (const [id, identifier, firstName, lastName, licenseClass] of [
    [1, 'Pax8Api', 'Pax8', 'Integration', 'A'],
    [2, 'jsmith', 'Jane', 'Smith', 'F'],
    [3, 'bwayne', 'Bruce', 'Wayne', 'F'],
    [4, 'dprince', 'Diana', 'Prince', 'F'],
  ] as const) {
    const email = `${identifier.toLowerCase()}@northwind.example`;
    data.insert('members', {
      id,
      identifier,
      firstName,
      lastName,
      name: `${firstName} ${lastName}`,
      licenseClass,
      primaryEmail: email,
      officeEmail: email,
      defaultEmail: 'Office',
      inactiveFlag: false,
      adminFlag: identifier === 'jsmith',
      _info: info,
    });
  }
  data.insert('hostedSetups', {
    id: 1,
    screenId: 3,
    description: 'ConnectWise University',
    url: 'https://university.connectwise.com/',
    type: 'Tab',
    origin: 'https://university.connectwise.com',
    podHeight: 0,
    disabledFlag: false,
    locationIds: [],
    locationsEnabledFlag: false,
    createdBy: 'Admin',
    dateCreated: cwDate(now),
    _info: info,
  });
}

const nonPax8Items = [
  {
    id: 701,
    identifier: 'MANAGED-WS',
    description: 'Managed Workstation',
    price: 45,
    cost: 12,
    sub: 4,
    uom: 3,
  },
  { id: 702, identifier: 'MANAGED-SRV', description: 'Managed Server', price: 150, cost: 40, sub: 5, uom: 3 },
  {
    id: 703,
    identifier: 'HELPDESK-FF',
    description: 'Helpdesk Support - Flat Fee',
    price: 500,
    cost: 0,
    sub: 4,
    uom: 4,
  },
  { id: 704, identifier: 'FW-MGMT', description: 'Firewall Management', price: 75, cost: 20, sub: 5, uom: 3 },
];

function seedCatalog(data: CwData, info: Record<string, string>): void {
  const t = data.tables;
  const item = (
    id: number,
    identifier: string,
    description: string,
    full: string,
    price: number,
    cost: number,
    sub: number,
    uom: number,
    cat: number,
    type: number,
  ) =>
    data.insert('catalog', {
      id,
      identifier,
      description: description.slice(0, 60),
      customerDescription: full,
      category: ref(t.categories.rows.get(cat) as Row),
      subcategory: ref(t.subcategories.rows.get(sub) as Row),
      type: ref(t.types.rows.get(type) as Row),
      unitOfMeasure: ref(t.unitOfMeasures.rows.get(uom) as Row),
      productClass: 'NonInventory',
      price,
      cost,
      taxableFlag: false,
      inactiveFlag: false,
      recurringFlag: true,
      billableOption: 'Billable',
      _info: info,
    });
  for (const p of demoProducts) {
    if (p.cwCatalogId === undefined) continue;
    const short = (p.name.split(' - ')[0] ?? p.name).replace('Microsoft Office 365', 'Office 365');
    const sub = p.vendorName === 'Microsoft' ? 1 : 2;
    item(p.cwCatalogId, p.sku, `Pax8 - ${short}`, p.name, p.price, p.cost, sub, 1, 1, 1);
  }
  for (const n of nonPax8Items)
    item(n.id, n.identifier, n.description, n.description, n.price, n.cost, n.sub, n.uom, 2, 2);
}

type AgreementSeed = {
  company: Row;
  contact: Row;
  name: string;
  status: 'Active' | 'Cancelled' | 'Expired';
  type: number;
  ahead: boolean;
  monthsAgo: number;
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
    billingCycle: ref(t.billingCycles.rows.get(2) as Row),
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
  const pax8Items = demoProducts.flatMap((p) => (p.cwCatalogId === undefined ? [] : [p]));
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
  return data;
}

/** A large data set for benchmarks: `companies` companies with one agreement each, additions spread over them. */
export function generateLargeCwData(opts: { companies: number; additions: number; now?: Date }): CwData {
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
    agreements.push(
      addAgreement(
        data,
        now,
        {
          company,
          contact,
          name: `${identifier} Monthly`,
          status: 'Active',
          type: 1,
          ahead: i % 2 === 0,
          monthsAgo: 6,
        },
        info,
      ),
    );
  }
  for (let k = 0; k < opts.additions && agreements.length > 0; k++) {
    const agreement = agreements[k % agreements.length] as Row;
    addAddition(data, agreement, catalogIds[k % catalogIds.length] as number, 1 + (k % 25), info);
  }
  return data;
}
