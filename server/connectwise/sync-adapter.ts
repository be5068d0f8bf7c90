// The ConnectWise client seen through sync's ports: CW's wire shapes in, sync's agreements and additions out.
import { isAppError } from '../errors.ts';
import { parseMarker } from '../sync/marker.ts';
import { WriteOutcomeUnknownError } from '../sync/outcome.ts';
import type { AdditionInput, SyncAddition, SyncAgreement, SyncUpstream } from '../sync/ports.ts';
import type { ViewUpstream } from '../sync/view.ts';
import type { ConnectWiseClient } from './client.ts';
import { toCwDate } from './dates.ts';
import { isConnectWiseError } from './errors.ts';
import type { Agreement, JudgedAddition } from './schemas.ts';

const day = (value: string | null | undefined): string | null => (value ? value.slice(0, 10) : null);

const isNotFound = (err: unknown) =>
  (isConnectWiseError(err) && err.kind === 'not_found') || (isAppError(err) && err.code === 'not_found');

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export function toAgreement(a: Agreement): SyncAgreement {
  return {
    id: a.id,
    name: a.name,
    status: a.agreementStatus ?? 'Active',
    company: { id: a.company.id, name: a.company.name ?? a.company.identifier ?? String(a.company.id) },
    nextInvoiceDate: day(a.nextInvoiceDate),
    billingCycle: a.billingCycle?.name ?? null,
  };
}

/** Takes a whole addition or the board's partial one (`JUDGED_ADDITION_FIELDS`): it reads nothing else. */
export function toAddition(a: Omit<JudgedAddition, '_info'>, agreementId: number): SyncAddition {
  const info = (a as { _info?: { lastUpdated?: unknown } | null })._info;
  return {
    id: a.id,
    agreementId: a.agreementId ?? agreementId,
    catalogId: a.product.id,
    quantity: a.quantity ?? 0,
    unitPrice: a.unitPrice ?? 0,
    unitCost: a.unitCost ?? 0,
    effectiveDate: day(a.effectiveDate),
    cancelledDate: day(a.cancelledDate),
    invoiceDescription: a.invoiceDescription ?? '',
    billCustomer: a.billCustomer ?? 'Billable',
    taxable: a.taxableFlag ?? false,
    updatedAt: typeof info?.lastUpdated === 'string' ? info.lastUpdated : null,
    description: a.description ?? '',
    marker: parseMarker(a.description),
  };
}

/** Errors that say the request never reached ConnectWise (so it cannot have been processed). */
const neverSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * A write ConnectWise may have processed without saying so: a timeout, a dropped connection, a 5xx, or a 2xx
 * whose body could not be read. A refused connection or a 4xx/429 answer is a plain failure.
 */
export function isUnknownOutcome(err: unknown): boolean {
  if (!isConnectWiseError(err)) return !isAppError(err);
  if (err.kind === 'timeout' || err.kind === 'server' || err.kind === 'bad_response') return true;
  return err.kind === 'unreachable' && !causeCodes(err.cause).some((c) => neverSent.has(c));
}

async function writing<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!isUnknownOutcome(err)) throw err;
    throw new WriteOutcomeUnknownError(`ConnectWise did not answer ${what}`, { cause: err });
  }
}

/** Our field names → ConnectWise's, with dates as CW date-times (null clears a date). */
function wireFields(input: Partial<AdditionInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const date = (d: string | null) => (d === null ? null : toCwDate(d));
  if (input.quantity !== undefined) out.quantity = input.quantity;
  if (input.unitPrice !== undefined) out.unitPrice = input.unitPrice;
  if (input.unitCost !== undefined) out.unitCost = input.unitCost;
  if (input.effectiveDate !== undefined) out.effectiveDate = date(input.effectiveDate);
  if (input.cancelledDate !== undefined) out.cancelledDate = date(input.cancelledDate);
  if (input.invoiceDescription !== undefined) out.invoiceDescription = input.invoiceDescription;
  if (input.billCustomer !== undefined) out.billCustomer = input.billCustomer;
  if (input.taxable !== undefined) out.taxableFlag = input.taxable;
  if (input.description !== undefined) out.description = input.description;
  return out;
}

export type CwSyncUpstream = Pick<
  SyncUpstream & ViewUpstream,
  | 'getCwCompany'
  | 'getAgreement'
  | 'companyAgreements'
  | 'listAdditions'
  | 'getAddition'
  | 'createAddition'
  | 'updateAddition'
  | 'deleteAddition'
  | 'getCatalogItem'
>;

export function cwUpstreamFor(cw: ConnectWiseClient): CwSyncUpstream {
  return {
    getCwCompany: async (id) => {
      const c = await orNull(cw.companies.get(id));
      return c ? { id: c.id, name: c.name } : null;
    },
    getAgreement: async (id) => {
      const a = await orNull(cw.agreements.get(id));
      return a ? toAgreement(a) : null;
    },
    companyAgreements: async (companyId) => (await cw.agreements.forCompany(companyId)).map(toAgreement),
    listAdditions: async (agreementId, o) =>
      (o?.judgedOnly ? await cw.additions.judged(agreementId) : await cw.additions.all(agreementId)).map(
        (a) => toAddition(a, agreementId),
      ),
    getAddition: async (agreementId, id) => {
      const a = await orNull(cw.additions.get(agreementId, id));
      return a ? toAddition(a, agreementId) : null;
    },
    createAddition: async (agreementId, input) => {
      const body: Record<string, unknown> & { product: { id: number }; billCustomer: string } = {
        product: { id: input.catalogId },
        billCustomer: input.billCustomer,
        ...wireFields(input),
      };
      if (body.cancelledDate === null) delete body.cancelledDate;
      const created = await writing('the addition create', () =>
        cw.additions.create(agreementId, body as Parameters<typeof cw.additions.create>[1]),
      );
      return toAddition(created, agreementId);
    },
    updateAddition: async (agreementId, id, patch) => {
      const ops = Object.entries(wireFields(patch)).map(([path, value]) => ({
        op: 'replace' as const,
        path,
        value,
      }));
      const updated = await writing('the addition update', () => cw.additions.patch(agreementId, id, ops));
      return toAddition(updated, agreementId);
    },
    deleteAddition: async (agreementId, id) => {
      await cw.additions.delete(agreementId, id);
    },
    getCatalogItem: async (id) => {
      const item = await orNull(cw.catalog.get(id));
      return item
        ? {
            id: item.id,
            identifier: item.identifier,
            description: item.description ?? item.identifier,
            taxable: item.taxableFlag ?? false,
            price: item.price ?? null,
            cost: item.cost ?? null,
          }
        : null;
    },
  };
}
