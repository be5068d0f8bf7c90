// Companies, contacts and products of the emulated Pax8 API.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Pax8Data } from './data.ts';
import { bodyOf, filtered, notFound, Pax8HttpError, paged, sorted } from './http.ts';
import type { Company } from './types.ts';

const ContactBody = v.object({
  firstName: v.pipe(v.string(), v.minLength(1)),
  lastName: v.pipe(v.string(), v.minLength(1)),
  email: v.pipe(v.string(), v.email()),
  phone: v.optional(v.nullable(v.string())),
  types: v.optional(
    v.array(v.object({ type: v.picklist(['Admin', 'Billing', 'Technical']), primary: v.boolean() })),
  ),
});

const CompanyBody = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  address: v.object({
    street: v.string(),
    street2: v.optional(v.nullable(v.string())),
    city: v.string(),
    stateOrProvince: v.string(),
    postalCode: v.string(),
    country: v.pipe(v.string(), v.length(2)),
  }),
  phone: v.optional(v.string()),
  website: v.optional(v.string()),
  externalId: v.optional(v.nullable(v.string())),
  billOnBehalfOfEnabled: v.optional(v.boolean()),
  selfServiceAllowed: v.optional(v.boolean()),
  orderApprovalRequired: v.optional(v.boolean()),
  contacts: v.optional(v.array(ContactBody)),
});

/**
 * Pax8 refuses a company missing what its own form stars (name, street, city, state, postal code, country,
 * phone, website) with 422 and one detail per field; a US postal code must be a ZIP.
 */
function companyProblems(body: v.InferOutput<typeof CompanyBody>): { field: string; message: string }[] {
  const blank = (x: string | null | undefined) => x === undefined || x === null || x.trim() === '';
  const fields: [string, string | null | undefined][] = [
    ['name', body.name],
    ['address.street', body.address.street],
    ['address.city', body.address.city],
    ['address.stateOrProvince', body.address.stateOrProvince],
    ['address.postalCode', body.address.postalCode],
    ['phone', body.phone],
    ['website', body.website],
  ];
  const problems = fields.flatMap(([field, value]) =>
    blank(value) ? [{ field, message: 'must not be blank' }] : [],
  );
  if (
    body.address.country === 'US' &&
    !blank(body.address.postalCode) &&
    !/^\d{5}(-\d{4})?$/.test(body.address.postalCode.trim())
  ) {
    problems.push({ field: 'address.postalCode', message: 'is not a valid US postal code' });
  }
  if (!blank(body.phone) && (body.phone ?? '').replace(/\D/g, '').length < 7) {
    problems.push({ field: 'phone', message: 'must have at least 7 digits' });
  }
  return problems;
}

const companySort: Record<string, (c: Company) => string> = {
  name: (c) => c.name.toLowerCase(),
  city: (c) => c.address.city,
  country: (c) => c.address.country,
  stateOrProvince: (c) => c.address.stateOrProvince,
  postalCode: (c) => c.address.postalCode,
};

const companyFilters: Record<string, (c: Company) => unknown> = {
  city: (c) => c.address.city,
  country: (c) => c.address.country,
  stateOrProvince: (c) => c.address.stateOrProvince,
  postalCode: (c) => c.address.postalCode,
  selfServiceAllowed: (c) => c.selfServiceAllowed,
  billOnBehalfOfEnabled: (c) => c.billOnBehalfOfEnabled,
  orderApprovalRequired: (c) => c.orderApprovalRequired,
  status: (c) => c.status,
};

export function directoryRoutes(data: Pax8Data, now: () => Date): Hono {
  const app = new Hono();
  const companyOr404 = (id: string) => {
    const company = data.companies.get(id);
    if (!company) throw notFound('Company', id);
    return company;
  };
  const productOr404 = (id: string) => {
    const product = data.products.get(id);
    if (!product) throw notFound('Product', id);
    return product;
  };

  app.get('/companies', (c) => {
    const list = filtered(c, [...data.companies.values()], companyFilters);
    return c.json(paged(c, sorted(c, list, companySort)));
  });
  app.get('/companies/:companyId', (c) => c.json(companyOr404(c.req.param('companyId'))));
  app.post('/companies', async (c) => {
    const body = await bodyOf(c, CompanyBody);
    const problems = companyProblems(body);
    if (problems.length > 0) {
      throw new Pax8HttpError(
        422,
        'UNPROCESSABLE_ENTITY',
        'Invalid company',
        problems.map((p) => ({
          type: 'INVALID_PARAM',
          message: `${p.field} ${p.message}`,
          instance: c.req.path,
          status: 422,
        })),
      );
    }
    const { contacts = [], address, ...rest } = body;
    // Pax8 keeps a company Inactive until it has primary contacts.
    const hasPrimary = contacts.some((contact) => contact.types?.some((t) => t.primary));
    const company = data.addCompany({
      ...rest,
      address: { ...address, street2: address.street2 ?? null },
      status: hasPrimary ? 'Active' : 'Inactive',
      updatedDate: now().toISOString(),
    });
    for (const contact of contacts) data.addContact(company.id, { ...contact, createdDate: now() });
    return c.json(company, 200);
  });

  app.get('/companies/:companyId/contacts', (c) => {
    const id = c.req.param('companyId');
    companyOr404(id);
    const list = [...(data.contacts.get(id) ?? [])].sort((a, b) =>
      b.createdDate.localeCompare(a.createdDate),
    );
    return c.json(paged(c, list));
  });
  app.get('/companies/:companyId/contacts/:contactId', (c) => {
    const id = c.req.param('companyId');
    companyOr404(id);
    const contact = data.contacts.get(id)?.find((x) => x.id === c.req.param('contactId'));
    if (!contact) throw notFound('Contact', c.req.param('contactId'));
    return c.json(contact);
  });
  app.post('/companies/:companyId/contacts', async (c) => {
    const company = companyOr404(c.req.param('companyId'));
    const body = await bodyOf(c, ContactBody);
    const contact = data.addContact(company.id, { ...body, createdDate: now() });
    if (contact.types.some((t) => t.primary) && company.status === 'Inactive') {
      data.companies.set(company.id, { ...company, status: 'Active', updatedDate: now().toISOString() });
    }
    return c.json(contact, 200);
  });

  app.get('/products', (c) => {
    const search = c.req.query('search')?.toLowerCase();
    const vendorName = c.req.query('vendorName');
    const list = [...data.products.values()]
      .map((p) => p.detail)
      .filter((p) => !vendorName || p.vendorName === vendorName)
      .filter(
        (p) =>
          !search ||
          [p.name, p.vendorName, p.sku, p.id].some((field) => field.toLowerCase().includes(search)),
      )
      .map(({ description: _description, ...product }) => product);
    const sortedList = sorted(c, list, {
      name: (p) => p.name.toLowerCase(),
      vendor: (p) => p.vendorName.toLowerCase(),
    });
    return c.json(paged(c, sortedList));
  });
  app.get('/products/:productId', (c) => c.json(productOr404(c.req.param('productId')).detail));
  app.get('/products/:productId/pricing', (c) => {
    const product = productOr404(c.req.param('productId'));
    const companyId = c.req.query('companyId');
    if (companyId !== undefined) companyOr404(companyId);
    return c.json({ content: product.pricing });
  });
  app.get('/products/:productId/provision-details', (c) =>
    c.json({ content: productOr404(c.req.param('productId')).provisioning }),
  );
  app.get('/products/:productId/dependencies', (c) => {
    const product = productOr404(c.req.param('productId'));
    const required = product.requires.flatMap((id) => {
      const p = data.products.get(id);
      if (!p) return [];
      const { description: _description, ...rest } = p.detail;
      return [rest];
    });
    return c.json({
      commitmentDependencies: product.commitments,
      productDependencies: required.length > 0 ? [{ name: 'Requires', products: required }] : [],
    });
  });
  return app;
}
