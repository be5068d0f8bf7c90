// The emulator's HTTP vocabulary: CW error bodies, the Hono env its routes share, and reference hrefs
// rendered against the request's own origin and mount path (so any mount point and port works).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ValidationIssue } from './models.ts';
import type { CwData, Row, TableName } from './store.ts';

export const apiRoot = '/v4_6_release/apis/3.0';

export type Principal = { kind: 'api' | 'restricted' | 'member'; name: string };

export type CwEnv = { Variables: { principal: Principal; base: string } };

export class CwError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly errors: ValidationIssue[] | undefined;
  constructor(status: ContentfulStatusCode, code: string, message: string, errors?: ValidationIssue[]) {
    super(message);
    this.name = 'CwError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export const notFound = (what: string, id: number | string) =>
  new CwError(404, 'NotFound', `${what} recId ${id} not found`);

export function renderError(c: Context, err: CwError): Response {
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.errors) body.errors = err.errors;
  return c.json(body, err.status);
}

/** `https://host:port/mount/v4_6_release/apis/3.0` for the current request. */
export function apiBaseOf(url: string): string {
  const u = new URL(url);
  const at = u.pathname.indexOf(apiRoot);
  const mount = at >= 0 ? u.pathname.slice(0, at) : '';
  return `${u.origin}${mount}${apiRoot}`;
}

/** A reference field: which `_info` key it carries and where it points. */
export type RefLink = {
  key: string;
  path: string;
  table?: TableName;
  label?: 'name' | 'identifier' | 'both';
};

export const refs = {
  company: { key: 'company_href', path: 'company/companies', table: 'companies', label: 'both' },
  contact: { key: 'contact_href', path: 'company/contacts', table: 'contacts', label: 'name' },
  country: { key: 'country_href', path: 'company/countries', table: 'countries', label: 'name' },
  category: { key: 'category_href', path: 'procurement/categories', table: 'categories', label: 'name' },
  subcategory: {
    key: 'subcategory_href',
    path: 'procurement/subcategories',
    table: 'subcategories',
    label: 'name',
  },
  productType: { key: 'type_href', path: 'procurement/types', table: 'types', label: 'name' },
  unitOfMeasure: {
    key: 'uom_href',
    path: 'procurement/unitOfMeasures',
    table: 'unitOfMeasures',
    label: 'name',
  },
  agreementType: {
    key: 'type_href',
    path: 'finance/agreements/types',
    table: 'agreementTypes',
    label: 'name',
  },
  billingCycle: {
    key: 'billingCycle_href',
    path: 'finance/billingCycles',
    table: 'billingCycles',
    label: 'name',
  },
  product: { key: 'catalog_href', path: 'procurement/catalog', table: 'catalog', label: 'identifier' },
  member: { key: 'member_href', path: 'system/members', table: 'members', label: 'both' },
} satisfies Record<string, RefLink>;

/** Adds `_info` hrefs to the reference fields of a stored row. */
export function withHrefs(row: Row, links: Record<string, RefLink>, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const [field, link] of Object.entries(links)) {
    const ref = out[field];
    if (ref && typeof ref === 'object' && 'id' in ref) {
      out[field] = { ...ref, _info: { [link.key]: `${base}/${link.path}/${(ref as { id: unknown }).id}` } };
    }
  }
  return out;
}

/** Checks a reference points at a stored row and copies its label, as CW echoes `{id, name}` back. */
export function resolveRef(
  data: CwData,
  resource: string,
  field: string,
  link: RefLink,
  value: unknown,
): unknown {
  if (value === undefined || value === null || !link.table) return value;
  if (typeof value !== 'object') {
    throw new CwError(400, 'InvalidObject', `${resource} object is invalid`, [
      { code: 'InvalidField', message: `The field ${field} must be a reference object.`, resource, field },
    ]);
  }
  const ref = value as { id?: unknown; identifier?: unknown; name?: unknown };
  const rows = data.tables[link.table].rows;
  let row: Row | undefined;
  if (typeof ref.id === 'number') row = rows.get(ref.id);
  else if (typeof ref.identifier === 'string' || typeof ref.name === 'string') {
    const want = String(ref.identifier ?? ref.name).toLowerCase();
    const key = typeof ref.identifier === 'string' ? 'identifier' : 'name';
    for (const r of rows.values()) if (String(r[key] ?? '').toLowerCase() === want) row = r;
  }
  if (!row) {
    throw new CwError(400, 'InvalidObject', `${resource} object is invalid`, [
      {
        code: 'InvalidField',
        message: `${field} ${ref.id ?? ref.identifier ?? ref.name ?? '(missing id)'} was not found.`,
        resource,
        field,
      },
    ]);
  }
  const out: Record<string, unknown> = { id: row.id };
  if (link.label === 'identifier' || link.label === 'both') out.identifier = row.identifier;
  if (link.label === 'name' || link.label === 'both') {
    out.name = link.table === 'contacts' ? `${row.firstName ?? ''} ${row.lastName ?? ''}`.trim() : row.name;
  }
  return out;
}
