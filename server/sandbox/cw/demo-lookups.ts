// Lookups every CW data set shares (countries, catalog taxonomy, agreement types, billing cycles, members,
// a foreign hosted setup) and the catalog: the Pax8 products that have a cwCatalogId plus non-Pax8 items.
import { demoProducts } from '../demo/msp.ts';
import { type CwData, cwDate, type Row } from './store.ts';

export const ref = (row: Row, label: 'name' | 'identifier' | 'both' = 'name') => ({
  id: row.id,
  ...(label !== 'name' ? { identifier: row.identifier } : {}),
  ...(label !== 'identifier' ? { name: row.name } : {}),
});

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

export function seedCatalog(data: CwData, info: Record<string, string>): void {
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
