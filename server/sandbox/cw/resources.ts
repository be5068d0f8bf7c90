// The emulated CW REST resources, mounted on the api router under /v4_6_release/apis/3.0.
import type { Hono } from 'hono';
import { mountCollection } from './collection.ts';
import { type CwEnv, refs } from './http.ts';
import { models } from './models.ts';
import type { CwData } from './store.ts';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Additions: the catalog item fills unitPrice/unitCost/description/uom when omitted; ext amounts derived. */
export function prepareAddition(row: Record<string, unknown>, data: CwData): Record<string, unknown> {
  const productId = (row.product as { id: number }).id;
  const item = data.tables.catalog.rows.get(productId);
  const quantity = typeof row.quantity === 'number' ? row.quantity : 0;
  const unitPrice = typeof row.unitPrice === 'number' ? row.unitPrice : Number(item?.price ?? 0);
  const unitCost = typeof row.unitCost === 'number' ? row.unitCost : Number(item?.cost ?? 0);
  const extPrice = round2(quantity * unitPrice);
  const extCost = round2(quantity * unitCost);
  const effective = typeof row.effectiveDate === 'string' ? Date.parse(row.effectiveDate) : Number.NaN;
  return {
    quantity,
    lessIncluded: 0,
    agreementStatus: 'Active',
    description: item?.description ?? '',
    uom: (item?.unitOfMeasure as { name?: string } | undefined)?.name ?? '',
    taxableFlag: item?.taxableFlag ?? false,
    purchaseItemFlag: false,
    specialOrderFlag: false,
    prorateCurrentPeriodFlag: false,
    ...row,
    ...(Number.isNaN(effective)
      ? {}
      : { effectiveDate: `${new Date(effective).toISOString().slice(0, 19)}Z` }),
    unitPrice,
    unitCost,
    extPrice,
    extCost,
    margin: round2(extPrice - extCost),
    billedQuantity: quantity,
  };
}

export function mountResources(api: Hono<CwEnv>, deps: { data: CwData; now: () => Date }): void {
  const m = (path: string, spec: Parameters<typeof mountCollection>[2]) =>
    mountCollection(api, path, spec, deps);

  m('/company/companies', {
    table: 'companies',
    what: 'Company',
    rules: models.company,
    links: { country: refs.country },
  });
  m('/company/contacts', {
    table: 'contacts',
    what: 'Contact',
    rules: models.contact,
    links: { company: refs.company, country: refs.country },
  });
  m('/company/countries', { table: 'countries', what: 'Country' });

  m('/procurement/catalog', {
    table: 'catalog',
    what: 'Catalog item',
    rules: models.catalogItem,
    links: {
      category: refs.category,
      subcategory: refs.subcategory,
      type: refs.productType,
      unitOfMeasure: refs.unitOfMeasure,
    },
  });
  m('/procurement/categories', { table: 'categories', what: 'Category', rules: models.category });
  // The spec spells this collection with a trailing slash; CW answers both.
  m('/procurement/subcategories', {
    table: 'subcategories',
    what: 'Subcategory',
    rules: models.subCategory,
    links: { category: refs.category },
    trailingSlash: true,
  });
  m('/procurement/types', { table: 'types', what: 'Product type', rules: models.productType });
  m('/procurement/unitOfMeasures', {
    table: 'unitOfMeasures',
    what: 'Unit of measure',
    rules: models.unitOfMeasure,
  });

  m('/finance/agreements/types', { table: 'agreementTypes', what: 'Agreement type' });
  m('/finance/billingCycles', { table: 'billingCycles', what: 'Billing cycle' });
  m('/finance/agreements/:parentId{[0-9]+}/additions', {
    table: 'additions',
    what: 'Agreement addition',
    rules: models.addition,
    links: { product: refs.product },
    parent: { table: 'agreements', field: 'agreementId', what: 'Agreement' },
    prepare: prepareAddition,
  });
  m('/finance/agreements', {
    table: 'agreements',
    what: 'Agreement',
    rules: models.agreement,
    links: {
      company: refs.company,
      contact: refs.contact,
      type: refs.agreementType,
      billingCycle: refs.billingCycle,
    },
  });

  m('/system/members', { table: 'members', what: 'Member' });
  m('/system/connectwisehostedsetups', {
    table: 'hostedSetups',
    what: 'Hosted setup',
    rules: models.hostedSetup,
  });
  m('/system/menuentries', { table: 'menuEntries', what: 'Menu entry', rules: models.menuEntry });
}
