// The typed ConnectWise Manage REST client: a factory over `fetch` (the real network, or an emulator's
// `app.request`), exposing only the resources the product uses, each answer checked with valibot.
import * as v from 'valibot';
import { countedFetch } from '../metrics.ts';
import type { Condition } from './conditions.ts';
import { cond } from './conditions.ts';
import { resourceOf } from './errors.ts';
import type { ConnectWiseAuth, Query } from './http.ts';
import { createTransport, parseBody } from './http.ts';
import { fetchAll } from './pager.ts';
import { parseHostedScreens } from './reports.ts';
import * as s from './schemas.ts';
import type { ConnectWiseTarget } from './target.ts';
import { apiBaseFor, discoverCodebase, staticApiBase } from './target.ts';

export type ConnectWiseClientOptions = ConnectWiseTarget & {
  companyId: string;
  auth: ConnectWiseAuth;
  clientId: string;
  fetch?: typeof fetch;
  /** Per attempt; default 20 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests; default 3. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
};

export type ListOptions = { conditions?: Condition; orderBy?: string; pageSize?: number; page?: number };
/** `fields`: CW's partial response (paths as `product/id`); the schema read with it must accept the partial record. */
export type AllOptions = { conditions?: Condition; orderBy?: string; fields?: readonly string[] };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ids go into paths, so they must be plain positive integers. */
function id(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`Not a ConnectWise id: ${value}`);
  return value;
}

function listQuery(o: ListOptions | AllOptions = {}): Query {
  return {
    conditions: o.conditions || undefined,
    orderBy: o.orderBy,
    pageSize: 'pageSize' in o ? o.pageSize : undefined,
    page: 'page' in o ? o.page : undefined,
    fields: 'fields' in o && o.fields?.length ? o.fields.join(',') : undefined,
  };
}

export function createConnectWiseClient(opts: ConnectWiseClientOptions) {
  const fetchFn = countedFetch('connectwise', opts.fetch ?? globalThis.fetch);
  const known = staticApiBase(opts);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let discovered: Promise<string> | undefined;
  const base = (): Promise<string> => {
    if (known !== null) return Promise.resolve(known);
    if (!('siteUrl' in opts)) throw new TypeError('ConnectWise target needs region, siteUrl or apiBaseUrl');
    const siteUrl = opts.siteUrl;
    discovered ??= discoverCodebase(siteUrl, opts.companyId, fetchFn, timeoutMs).then(
      (codebase) => apiBaseFor(siteUrl, codebase),
      (error: unknown) => {
        discovered = undefined; // a failed discovery is retried by the next call
        throw error;
      },
    );
    return discovered;
  };
  const transport = createTransport({
    companyId: opts.companyId,
    auth: opts.auth,
    clientId: opts.clientId,
    fetch: fetchFn,
    base,
    timeoutMs,
    retries: opts.retries ?? 3,
    sleep: opts.sleep ?? realSleep,
  });

  async function call<S extends v.GenericSchema>(
    schema: S,
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<v.InferOutput<S>> {
    const res = await transport.send(method, path, options);
    return parseBody(schema, res.body, `${method} ${resourceOf(path)}`);
  }
  const one = <S extends v.GenericSchema>(schema: S, path: string) => call(schema, 'GET', path);
  const page = <S extends v.GenericSchema>(schema: S, path: string, o?: ListOptions) =>
    call(v.array(schema), 'GET', path, { query: listQuery(o) });
  const all = <S extends v.GenericSchema>(schema: S, path: string, o?: AllOptions) =>
    fetchAll(transport, path, schema, listQuery(o));
  const del = async (path: string) => {
    await transport.send('DELETE', path);
  };

  /** CRUD for a collection whose items are addressed as `{path}/{id}`. */
  const crud = <S extends v.GenericSchema, I>(schema: S, path: string) => ({
    all: (o?: AllOptions) => all(schema, path, o),
    create: (body: I) => call(schema, 'POST', path, { body }),
    /** PUT replaces the record: pass a whole record (e.g. one read back and edited). */
    update: (itemId: number, body: I | v.InferOutput<S>) =>
      call(schema, 'PUT', `${path}/${id(itemId)}`, { body }),
    delete: (itemId: number) => del(`${path}/${id(itemId)}`),
  });

  const additionsPath = (agreementId: number) => `finance/agreements/${id(agreementId)}/additions`;

  return {
    /** The resolved API base URL (self-hosted: after codebase discovery). */
    apiBaseUrl: base,
    /** Cheapest authenticated call; doubles as the credentials check. */
    systemInfo: () => one(s.InfoSchema, 'system/info'),
    findMember: async (identifier: string) => {
      const rows = await page(s.MemberSchema, 'system/members', {
        conditions: cond.eq('identifier', identifier),
        pageSize: 2,
      });
      return rows[0] ?? null;
    },
    companies: {
      list: (o?: ListOptions) => page(s.CompanySchema, 'company/companies', o),
      all: (o?: AllOptions) => all(s.CompanySchema, 'company/companies', o),
      get: (companyId: number) => one(s.CompanySchema, `company/companies/${id(companyId)}`),
      search: (name: string) =>
        page(s.CompanySchema, 'company/companies', {
          conditions: cond.and(cond.contains('name', name), cond.eq('deletedFlag', false)),
          orderBy: 'name asc',
          pageSize: 50,
        }),
    },
    contacts: {
      list: (o?: ListOptions) => page(s.ContactSchema, 'company/contacts', o),
      forCompany: (companyId: number) =>
        all(s.ContactSchema, 'company/contacts', { conditions: cond.eq('company/id', id(companyId)) }),
    },
    catalog: {
      search: (text: string) =>
        page(s.CatalogItemSchema, 'procurement/catalog', {
          conditions: cond.and(
            cond.or(cond.contains('identifier', text), cond.contains('description', text)),
            cond.eq('inactiveFlag', false),
          ),
          orderBy: 'identifier asc',
          pageSize: 50,
        }),
      all: (o?: AllOptions) => all(s.CatalogItemSchema, 'procurement/catalog', o),
      get: (itemId: number) => one(s.CatalogItemSchema, `procurement/catalog/${id(itemId)}`),
      create: (body: s.CatalogItemInput) =>
        call(s.CatalogItemSchema, 'POST', 'procurement/catalog', { body }),
      patch: (itemId: number, ops: s.PatchOp[]) =>
        call(s.CatalogItemSchema, 'PATCH', `procurement/catalog/${id(itemId)}`, { body: ops }),
    },
    categories: { all: () => all(s.NamedSchema, 'procurement/categories') },
    // The spec lists this collection with a trailing slash.
    subcategories: { all: () => all(s.NamedSchema, 'procurement/subcategories/') },
    types: { all: () => all(s.NamedSchema, 'procurement/types') },
    unitsOfMeasure: { all: () => all(s.NamedSchema, 'procurement/unitOfMeasures') },
    agreements: {
      get: (agreementId: number) => one(s.AgreementSchema, `finance/agreements/${id(agreementId)}`),
      forCompany: (companyId: number, o: { activeOnly?: boolean } = {}) =>
        all(s.AgreementSchema, 'finance/agreements', {
          conditions: cond.and(
            cond.eq('company/id', id(companyId)),
            o.activeOnly === true && cond.eq('agreementStatus', 'Active'),
          ),
          orderBy: 'id asc',
        }),
      all: (o?: AllOptions) => all(s.AgreementSchema, 'finance/agreements', o),
    },
    billingCycles: { all: () => all(s.NamedSchema, 'finance/billingCycles') },
    additions: {
      all: (agreementId: number, o?: AllOptions) => all(s.AdditionSchema, additionsPath(agreementId), o),
      /** Every page, only the fields the judgement reads (the board's walks of thousands of agreements). */
      judged: (agreementId: number, o?: Omit<AllOptions, 'fields'>) =>
        all(s.JudgedAdditionSchema, additionsPath(agreementId), { ...o, fields: s.JUDGED_ADDITION_FIELDS }),
      get: (agreementId: number, additionId: number) =>
        one(s.AdditionSchema, `${additionsPath(agreementId)}/${id(additionId)}`),
      /** Never retried: a duplicate addition is the one mistake the sync journal exists to prevent. */
      create: (agreementId: number, body: s.AdditionInput) =>
        call(s.AdditionSchema, 'POST', additionsPath(agreementId), { body }),
      /** PUT replaces the addition: pass a whole record (e.g. one read back and edited). */
      update: (agreementId: number, additionId: number, body: s.AdditionInput | s.Addition) =>
        call(s.AdditionSchema, 'PUT', `${additionsPath(agreementId)}/${id(additionId)}`, { body }),
      patch: (agreementId: number, additionId: number, ops: s.PatchOp[]) =>
        call(s.AdditionSchema, 'PATCH', `${additionsPath(agreementId)}/${id(additionId)}`, { body: ops }),
      delete: (agreementId: number, additionId: number) =>
        del(`${additionsPath(agreementId)}/${id(additionId)}`),
      count: async (agreementId: number) =>
        (await one(s.CountSchema, `${additionsPath(agreementId)}/count`)).count,
    },
    hostedSetups: crud<typeof s.HostedSetupSchema, s.HostedSetupInput>(
      s.HostedSetupSchema,
      'system/connectwisehostedsetups',
    ),
    menuEntries: crud<typeof s.MenuEntrySchema, s.MenuEntryInput>(s.MenuEntrySchema, 'system/menuentries'),
    /** The screens a hosted setup can target: `{id, name}` from the ConnectWiseHostedApiScreen report. */
    hostedScreens: async () =>
      parseHostedScreens(await one(s.ReportSchema, 'system/reports/ConnectWiseHostedApiScreen')),
    count: async (path: string, conditions?: Condition) =>
      (await call(s.CountSchema, 'GET', `${path.replace(/\/+$/, '')}/count`, { query: { conditions } }))
        .count,
    /** Anything else. The answer is unvalidated: parse it at the call site. */
    request: async (method: string, path: string, options: { query?: Query; body?: unknown } = {}) =>
      (await transport.send(method, path, options)).body,
  };
}

export type ConnectWiseClient = ReturnType<typeof createConnectWiseClient>;
