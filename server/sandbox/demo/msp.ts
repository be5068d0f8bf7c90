// The demo MSP shared by both emulators and the sandbox tenant: its customers and the Pax8 products
// they buy. The CW emulator, the Pax8 emulator and the sandbox store seed all read this one list, so
// names, ids and bindings agree everywhere.
import { uuidFrom } from './ids.ts';

export const demoMsp = {
  /** The ConnectWise company id (login company) of the demo MSP. */
  cwCompanyId: 'democw',
  name: 'Northwind Managed Services',
  site: 'na.myconnectwise.net',
} as const;

/**
 * pax8: 'bound' = has a Pax8 company and the sandbox tenant already binds it;
 * 'unbound' = has a Pax8 company, not yet bound (the pod offers to bind it);
 * 'renamed' = has a Pax8 company whose name differs slightly (pax8Name), not bound;
 * 'none' = no Pax8 company.
 */
export type DemoCustomer = {
  cwId: number;
  identifier: string;
  name: string;
  pax8: 'bound' | 'unbound' | 'renamed' | 'none';
  pax8Name?: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  website: string;
};

const raw: [string, string, DemoCustomer['pax8'], string, string, string, string?][] = [
  ['AceChemical', 'Ace Chemical Processing Plant', 'bound', 'Gotham', 'NJ', '07001'],
  ['ArcadiaTech', 'Arcadia Tech', 'bound', 'Denver', 'CO', '80202'],
  ['DynamoCorp', 'Dynamo Corporation', 'bound', 'Boulder', 'CO', '80301'],
  ['FranksFlowers', 'Franks Flower Shop', 'bound', 'Tampa', 'FL', '33602'],
  ['GibsonPottYork', 'Gibson, Pott, and York LLC', 'bound', 'Austin', 'TX', '78701'],
  ['OxfordSenior', 'Oxford Senior Living', 'bound', 'Oxford', 'MS', '38655'],
  ['DenverBroncos', 'Denver Broncos', 'unbound', 'Denver', 'CO', '80204'],
  ['OBrienIT', `O'Brien "IT" Partners`, 'bound', 'Boston', 'MA', '02110'],
  ['BlueRidgeDental', 'Blue Ridge Dental Group', 'bound', 'Asheville', 'NC', '28801'],
  ['CedarLaw', 'Cedar & Pine Law Office', 'renamed', 'Portland', 'OR', '97204', 'Cedar and Pine Law Office'],
  ['HarborLogistics', 'Harbor Logistics Inc.', 'bound', 'Savannah', 'GA', '31401'],
  ['IronwoodMfg', 'Ironwood Manufacturing', 'bound', 'Dayton', 'OH', '45402'],
  ['JuniperVet', 'Juniper Veterinary Clinic', 'unbound', 'Reno', 'NV', '89501'],
  ['KestrelArch', 'Kestrel Architecture', 'bound', 'Phoenix', 'AZ', '85004'],
  ['LakesideCPA', 'Lakeside CPA Group', 'bound', 'Madison', 'WI', '53703'],
  ['MeridianHealth', 'Meridian Health Partners', 'bound', 'Omaha', 'NE', '68102'],
  ['NorthstarRealty', 'Northstar Realty', 'unbound', 'Fargo', 'ND', '58102'],
  ['OakridgeSchools', 'Oakridge Academy', 'bound', 'Knoxville', 'TN', '37902'],
  ['PinnacleEng', 'Pinnacle Engineering', 'bound', 'Tulsa', 'OK', '74103'],
  ['QuarryCafe', 'Quarry Street Cafe', 'none', 'Burlington', 'VT', '05401'],
  ['RiversideAuto', 'Riverside Auto Body', 'bound', 'Spokane', 'WA', '99201'],
  ['SummitInsurance', 'Summit Insurance Agency', 'bound', 'Boise', 'ID', '83702'],
  ['TidewaterMarine', 'Tidewater Marine Supply', 'none', 'Norfolk', 'VA', '23510'],
  ['UnionSquareDesign', 'Union Square Design', 'bound', 'San Francisco', 'CA', '94108'],
  ['ValleyFarms', 'Valley Farms Co-op', 'unbound', 'Fresno', 'CA', '93721'],
  ['WillowCounseling', 'Willow Counseling Center', 'bound', 'Burlington', 'VT', '05402'],
  ['XenonLabs', 'Xenon Labs', 'bound', 'Raleigh', 'NC', '27601'],
  [
    'YellowstoneOutfit',
    'Yellowstone Outfitters',
    'renamed',
    'Bozeman',
    'MT',
    '59715',
    'Yellowstone Outfitters LLC',
  ],
  ['ZephyrTravel', 'Zephyr Travel', 'bound', 'Miami', 'FL', '33131'],
  ['BatmansTech', "Batman's Tech", 'unbound', 'Gotham', 'NJ', '07002'],
];

export const demoCustomers: DemoCustomer[] = raw.map(
  ([identifier, name, pax8, city, state, zip, pax8Name], i) => ({
    cwId: 250 + i * 3,
    identifier,
    name,
    pax8,
    ...(pax8Name ? { pax8Name } : {}),
    city,
    state,
    zip,
    phone: `555-01${String(i).padStart(2, '0')}`,
    website: `www.${identifier.toLowerCase()}.example`,
  }),
);

/** The Pax8 company id of a demo customer (undefined when it has none). */
export function pax8CompanyIdOf(customer: DemoCustomer): string | undefined {
  return customer.pax8 === 'none' ? undefined : uuidFrom(`pax8-company:${customer.identifier}`);
}

export type DemoProduct = {
  key: string;
  name: string;
  vendorName: string;
  sku: string;
  vendorSku: string;
  /** Monthly partner cost and suggested retail price (per unit). */
  cost: number;
  price: number;
  /** Has an annual (NCE) term as well: monthly-equivalent rates (an up-front year bills 12 of them). */
  annual?: { cost: number; price: number };
  /** Has a 3-year (NCE) term as well: monthly-equivalent rates (an up-front term bills 36 of them). */
  threeYear?: { cost: number; price: number };
  usage?: true;
  /** The CW catalog id when the demo MSP already has the product in its catalog and the sandbox binds it. */
  cwCatalogId?: number;
};

export const demoProducts: DemoProduct[] = [
  {
    key: 'o365e3',
    name: 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    vendorName: 'Microsoft',
    sku: 'MST-OFC-EE3-C100',
    vendorSku: 'CFQ7TTC0LF8Q',
    cost: 20,
    price: 25,
    annual: { cost: 19, price: 23 },
    threeYear: { cost: 18, price: 22 },
    cwCatalogId: 682,
  },
  {
    key: 'o365bes',
    name: 'Microsoft Office 365 Business Essentials - Includes Exchange Email',
    vendorName: 'Microsoft',
    sku: 'MST-OFB-BES-C100',
    vendorSku: 'CFQ7TTC0LH18',
    cost: 4.2,
    price: 5,
    cwCatalogId: 683,
  },
  {
    key: 'm365bp',
    name: 'Microsoft 365 Business Premium',
    vendorName: 'Microsoft',
    sku: 'MST-M365-BP-C100',
    vendorSku: 'CFQ7TTC0LCHC',
    cost: 17.6,
    price: 22,
    annual: { cost: 16.72, price: 20.9 },
    cwCatalogId: 684,
  },
  {
    key: 'm365bb',
    name: 'Microsoft 365 Business Basic',
    vendorName: 'Microsoft',
    sku: 'MST-M365-BB-C100',
    vendorSku: 'CFQ7TTC0LH16',
    cost: 4.8,
    price: 6,
    annual: { cost: 4.56, price: 5.7 },
    cwCatalogId: 685,
  },
  {
    key: 'exo1',
    name: 'Exchange Online (Plan 1)',
    vendorName: 'Microsoft',
    sku: 'MST-EXO-P1-C100',
    vendorSku: 'CFQ7TTC0LH1G',
    cost: 3.2,
    price: 4,
  },
  {
    key: 'dropsuite',
    name: 'Dropsuite Business Backup + Email Archiving',
    vendorName: 'Dropsuite',
    sku: 'DRS-BBA-C100',
    vendorSku: 'DS-BBEA',
    cost: 2.5,
    price: 4,
    cwCatalogId: 686,
  },
  {
    key: 'acronis',
    name: 'Acronis Cyber Protect Cloud - Workstation',
    vendorName: 'Acronis',
    sku: 'ACR-CPC-WS-C100',
    vendorSku: 'ACR-WS',
    cost: 3.1,
    price: 5,
  },
  {
    key: 'azure',
    name: 'Microsoft Azure Plan',
    vendorName: 'Microsoft',
    sku: 'MST-AZR-PLN-C100',
    vendorSku: 'DZH318Z0BCZC',
    cost: 0,
    price: 0,
    usage: true,
    cwCatalogId: 687,
  },
  {
    key: 'teamsprem',
    name: 'Microsoft Teams Premium',
    vendorName: 'Microsoft',
    sku: 'MST-TMS-PRM-C100',
    vendorSku: 'CFQ7TTC0RM8K',
    cost: 8,
    price: 10,
  },
];

export function pax8ProductIdOf(product: DemoProduct): string {
  return uuidFrom(`pax8-product:${product.key}`);
}

export type DemoProductBinding = {
  pax8ProductId: string;
  billingTerm: string;
  cwCatalogId: number;
  cwIdentifier: string;
  /** Usage billed in arrears (Azure, issue 10). */
  usage?: boolean;
};

/**
 * The product bindings the sandbox tenant starts with: each product in the MSP's catalog, on every term it is sold
 * on (Monthly, and Annual and 3-Year for the NCE products), bound to the same catalog item.
 */
export function demoProductBindings(): DemoProductBinding[] {
  return demoProducts.flatMap((p) => {
    if (p.cwCatalogId === undefined) return [];
    const terms = ['Monthly', ...(p.annual ? ['Annual'] : []), ...(p.threeYear ? ['3-Year'] : [])];
    return terms.map((billingTerm) => ({
      pax8ProductId: pax8ProductIdOf(p),
      billingTerm,
      cwCatalogId: p.cwCatalogId as number,
      cwIdentifier: p.sku,
      ...(p.usage ? { usage: true } : {}),
    }));
  });
}
