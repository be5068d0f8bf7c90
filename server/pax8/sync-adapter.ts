// The Pax8 client seen through sync's ports: Pax8's wire shapes in, sync's plain subscriptions and history out.
import { isAppError } from '../errors.ts';
import type { SyncSubscription, SyncUpstream } from '../sync/ports.ts';
import type { ViewUpstream } from '../sync/view.ts';
import { closedUsage, openUsage, type Pax8UsageReader } from './usage.ts';

/** The parts of the Pax8 client sync reads (structural, so any client with these methods fits). */
export type Pax8Reader = {
  companies: {
    all(): Promise<readonly { id: string; name: string }[]>;
    get(id: string): Promise<{ id: string; name: string }>;
  };
  subscriptions: {
    all(query: { companyId: string }): Promise<readonly Pax8Subscription[]>;
    get(id: string): Promise<Pax8Subscription>;
    history(id: string): Promise<readonly Pax8Subscription[]>;
  };
  /** Usage summaries and invoices (the real client has them; a fake without them reads no usage). */
  usage?: Pax8UsageReader['usage'];
  invoices?: Pax8UsageReader['invoices'];
};

export type Pax8Subscription = {
  id: string;
  companyId: string;
  productId: string;
  productName?: string | null | undefined;
  billingTerm: string;
  quantity: number;
  price?: number | null | undefined;
  partnerCost?: number | null | undefined;
  status: string;
  startDate: string;
  endDate?: string | null | undefined;
  updatedDate?: string | null | undefined;
  createdDate?: string | null | undefined;
  billingStart?: string | null | undefined;
  commitmentTerm?: { term: string; endDate?: string | null | undefined } | null | undefined;
};

const day = (value: string | null | undefined): string | null => (value ? value.slice(0, 10) : null);

export function toSubscription(s: Pax8Subscription): SyncSubscription {
  return {
    id: s.id,
    companyId: s.companyId,
    productId: s.productId,
    productName: s.productName ?? '',
    billingTerm: s.billingTerm,
    quantity: s.quantity,
    price: s.price ?? 0,
    partnerCost: s.partnerCost ?? 0,
    status: s.status,
    startDate: day(s.startDate) ?? '',
    endDate: day(s.endDate),
    updatedDate: s.updatedDate ?? null,
    commitment: s.commitmentTerm
      ? { term: s.commitmentTerm.term, endDate: day(s.commitmentTerm.endDate) }
      : null,
    createdDate: s.createdDate ?? null,
    convertedDate: convertedDateOf(s),
  };
}

/**
 * Where billing starts when it is later than the start: a trial converted on that day (Pax8 bills by startDate,
 * endDate and billingStart, not by status). The planner bills it from there as a new subscription (spec §5).
 */
function convertedDateOf(s: Pax8Subscription): string | null {
  const start = day(s.startDate);
  const billing = day(s.billingStart);
  return billing && start && billing > start ? billing : null;
}

/** History snapshots → quantity changes, oldest first, one per change (equal neighbours merged). */
export function toHistory(snapshots: readonly Pax8Subscription[]): { date: string; quantity: number }[] {
  const sorted = [...snapshots].sort((a, b) =>
    (a.updatedDate ?? a.startDate).localeCompare(b.updatedDate ?? b.startDate),
  );
  const out: { date: string; quantity: number }[] = [];
  for (const s of sorted) {
    if (out.at(-1)?.quantity === s.quantity) continue;
    out.push({ date: day(s.updatedDate ?? s.startDate) ?? '', quantity: s.quantity });
  }
  return out;
}

const isNotFound = (err: unknown) => isAppError(err) && err.code === 'not_found';

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export type Pax8SyncUpstream = Pick<
  SyncUpstream & ViewUpstream,
  | 'getSubscription'
  | 'subscriptionHistory'
  | 'companySubscriptions'
  | 'pax8Companies'
  | 'getPax8Company'
  | 'closedUsage'
  | 'openUsage'
>;

export function pax8UpstreamFor(pax8: Pax8Reader): Pax8SyncUpstream {
  const { usage, invoices } = pax8;
  const usageReads = usage && invoices ? { usage, invoices } : undefined;
  return {
    ...(usageReads
      ? {
          closedUsage: (since: string) => closedUsage(usageReads, since),
          openUsage: (id: string, today: string) => openUsage(usageReads, id, today),
        }
      : {}),
    getSubscription: async (id) => {
      const s = await orNull(pax8.subscriptions.get(id));
      return s ? toSubscription(s) : null;
    },
    subscriptionHistory: async (id) => toHistory(await pax8.subscriptions.history(id)),
    companySubscriptions: async (companyId) =>
      (await pax8.subscriptions.all({ companyId })).map(toSubscription),
    pax8Companies: async () => (await pax8.companies.all()).map((c) => ({ id: c.id, name: c.name })),
    getPax8Company: async (id) => {
      const c = await orNull(pax8.companies.get(id));
      return c ? { id: c.id, name: c.name } : null;
    },
  };
}
