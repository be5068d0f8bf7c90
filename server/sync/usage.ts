// Usage billed in arrears (spec §5, Azure) on sync's side: which subscriptions are usage, which of their closed
// months ConnectWise already bills (our markers, then the journal), the planner's usage snapshot, and the
// judgement per month that the pod rows and the audit show: synced / not billed (with its amount) / not closed yet.
import { addMonths, firstOfMonth, type IsoMonth, monthName, monthOf } from '../billing/dates.ts';
import { DEFAULT_LOOKBACK_MONTHS, type UsageSnapshot, usageKey, usagePrice } from '../billing/index.ts';
import { dollars } from '../billing/money.ts';
import { usageWindowStart } from '../billing/plan-usage.ts';
import { lineCents } from '../judgement/months.ts';
import { writeIdOf } from './marker.ts';
import type { JournalRow, ProductBinding, SyncAddition, SyncUpstream, SyncUsageMonth } from './ports.ts';
import { isArrears } from './unsynced.ts';
import type { RowMoney } from './view-rows.ts';

/** How many months of Pax8 invoices are read for closed usage (older months are not looked for). */
export const USAGE_INVOICE_MONTHS = 6;

/** Reference §1.6 heuristics (no price, no cost, outside a trial; or term Arrears) or the binding's own flag. */
export function isUsageSubscription(
  sub: { billingTerm: string; price: number; partnerCost: number; status: string },
  binding: Pick<ProductBinding, 'usage'> | null | undefined,
): boolean {
  return binding?.usage === true || isArrears(sub);
}

/**
 * A month whose net is a credit (negative) is never written as a line: ConnectWise additions bill, they do not
 * refund; the MSP credits the customer by hand.
 */
const billable = (m: SyncUsageMonth) => !m.partnerTotal.startsWith('-') && !m.currentCharges.startsWith('-');

/** The first invoice date read for closed usage. */
export const usageSince = (today: string): string =>
  firstOfMonth(addMonths(monthOf(today), -USAGE_INVOICE_MONTHS));

/**
 * The closed months ConnectWise already bills for this subscription, with the addition that bills each: an
 * addition whose marker names the month's write, else a done journal row whose addition is on an agreement not
 * read here (a row whose addition is gone from a read agreement was deleted: the month is owed again).
 */
export function billedUsage(
  subscriptionId: string,
  months: readonly IsoMonth[],
  additions: readonly SyncAddition[],
  journal: readonly JournalRow[],
): Map<IsoMonth, SyncAddition | null> {
  const readAgreements = new Set(additions.map((a) => a.agreementId));
  const out = new Map<IsoMonth, SyncAddition | null>();
  for (const month of months) {
    const key = usageKey(subscriptionId, month);
    const write = writeIdOf(key);
    const line = additions.find(
      (a) =>
        a.marker?.subscriptionId === subscriptionId && a.marker.kind === 'usage' && a.marker.write === write,
    );
    if (line) {
      out.set(month, line);
      continue;
    }
    const done = journal.find((j) => j.idempotencyKey === key && j.state === 'done');
    if (done && !readAgreements.has(done.agreementId)) out.set(month, null);
  }
  return out;
}

/** What the planner needs of a usage subscription: its closed and running months, and the months billed. */
export async function usageSnapshotOf(
  upstream: Pick<SyncUpstream, 'closedUsage' | 'openUsage'>,
  input: {
    subscriptionId: string;
    today: string;
    additions: readonly SyncAddition[];
    journal: readonly JournalRow[];
    markupPercent: string | null | undefined;
  },
): Promise<UsageSnapshot> {
  const [closedAll, open] = await Promise.all([
    upstream.closedUsage?.(usageSince(input.today)) ?? [],
    upstream.openUsage?.(input.subscriptionId, input.today) ?? null,
  ]);
  const closed = closedAll.filter((m) => m.subscriptionId === input.subscriptionId && billable(m));
  const billed = billedUsage(
    input.subscriptionId,
    closed.map((m) => m.month),
    input.additions,
    input.journal,
  );
  const running = open && !closed.some((m) => m.month === open.month) ? open : undefined;
  return {
    closed: closed.map(({ month, partnerTotal, currentCharges }) => ({
      month,
      partnerTotal,
      currentCharges,
    })),
    ...(running ? { open: running } : {}),
    billed: [...billed.keys()],
    markupPercent: input.markupPercent ?? null,
  };
}

/** 'older': closed, not billed, and older than the look-back: not proposed by default, shown with its amount. */
export type UsageMonthStatus = 'synced' | 'not_billed' | 'older' | 'not_closed';

/** One usage month as the pod and the audit show it; amount in cents (the line's price, or what it would be). */
export type UsageMonthJudged = {
  month: IsoMonth;
  status: UsageMonthStatus;
  amount: number;
  additionId: number | null;
};

export type UsageJudged = {
  /** 'usage_not_billed' while a closed month has no line; else synced (a running month is not owed yet). */
  status: 'synced' | 'usage_not_billed';
  months: UsageMonthJudged[];
  /** Owed for closed months not billed, cents. */
  notBilled: number;
  message: string;
};

/**
 * The months not closed yet: after the last closed month (or the subscription's start), up to today's month, at
 * most the running month and the one before it (Pax8 invoices a month around the 5th of the next).
 */
export function openMonths(lastClosed: IsoMonth | undefined, startDate: string, today: string): IsoMonth[] {
  const current = monthOf(today);
  const start = monthOf(startDate || today);
  const out: IsoMonth[] = [];
  for (let m = addMonths(current, -1); m <= current; m = addMonths(m, 1)) {
    if (m >= start && (lastClosed === undefined || m > lastClosed)) out.push(m);
  }
  return out;
}

/** The judgement of a usage subscription, month by month (spec §5, §8). */
export function judgeUsage(input: {
  subscriptionId: string;
  startDate: string;
  today: string;
  closed: readonly SyncUsageMonth[];
  additions: readonly SyncAddition[];
  journal: readonly JournalRow[];
  markupPercent: string | null | undefined;
  /** The agreement's first un-invoiced month: the look-back is counted from it, as the planner does. */
  firstUninvoicedMonth: IsoMonth;
  lookbackMonths?: number | undefined;
}): UsageJudged {
  const from = usageWindowStart(input.firstUninvoicedMonth, input.lookbackMonths ?? DEFAULT_LOOKBACK_MONTHS);
  const all = input.closed
    .filter((m) => m.subscriptionId === input.subscriptionId)
    .sort((a, b) => a.month.localeCompare(b.month));
  const closed = all.filter(billable);
  const billed = billedUsage(
    input.subscriptionId,
    closed.map((m) => m.month),
    input.additions,
    input.journal,
  );
  const months: UsageMonthJudged[] = closed.map((m) => {
    const line = billed.get(m.month);
    const amount = usagePrice(m, input.markupPercent);
    if (billed.has(m.month)) {
      return {
        month: m.month,
        status: 'synced',
        amount: line ? lineCents(line) : amount,
        additionId: line?.id ?? null,
      };
    }
    return { month: m.month, status: m.month < from ? 'older' : 'not_billed', amount, additionId: null };
  });
  for (const month of openMonths(all.at(-1)?.month, input.startDate, input.today)) {
    months.push({ month, status: 'not_closed', amount: 0, additionId: null });
  }
  const owed = months.filter((m) => m.status === 'not_billed');
  const notBilled = owed.reduce((t, m) => t + m.amount, 0);
  return {
    status: owed.length > 0 ? 'usage_not_billed' : 'synced',
    months,
    notBilled,
    message: usageWords(months),
  };
}

/** "Usage for September 2026 not billed ($106.53); October 2026 usage not closed yet." */
export function usageWords(months: readonly UsageMonthJudged[]): string {
  const owed = months.filter((m) => m.status === 'not_billed');
  const open = months.filter((m) => m.status === 'not_closed');
  const older = months.filter((m) => m.status === 'older');
  const parts: string[] = [];
  if (owed.length > 0) {
    const total = owed.reduce((t, m) => t + m.amount, 0);
    parts.push(
      `Usage for ${owed.map((m) => `${monthName(m.month)} (${dollars(m.amount)})`).join(', ')} not billed: ${dollars(total)}.`,
    );
  } else if (older.length > 0) {
    parts.push('Every closed usage month in the look-back is billed.');
  } else if (months.some((m) => m.status === 'synced')) {
    parts.push('Every closed usage month is billed.');
  } else {
    parts.push('No closed usage month yet.');
  }
  if (older.length > 0) {
    parts.push(
      `Older than the look-back, not billed: ${older.map((m) => `${monthName(m.month)} (${dollars(m.amount)})`).join(', ')}.`,
    );
  }
  if (open.length > 0) parts.push(`${open.map((m) => monthName(m.month)).join(', ')}: usage not closed yet.`);
  return parts.join(' ');
}

/** A view row of a usage product: judged per month, never against a recurring line. */
export function usageRow(u: UsageJudged, money: RowMoney) {
  return {
    status: u.status,
    action: u.status === 'synced' ? ('none' as const) : ('sync' as const),
    unsyncedChanges: u.status === 'synced' ? 0 : 1,
    addition: null,
    fixAdditionIds: [],
    matchedBy: null,
    money: {
      ...money,
      months: [],
      backBill: 0,
      olderShortfall: 0,
      message: u.message,
      usage: u.months,
      // The term as the planner says it (plan-usage.ts termLabel), so the row and the review agree.
      term: 'Usage · billed in arrears',
    },
  };
}

/** Closed usage of every subscription, read only when a usage subscription is shown (bounded: the invoices). */
export async function readClosedUsage(
  upstream: Pick<SyncUpstream, 'closedUsage'>,
  usageShown: boolean,
  today: string,
): Promise<SyncUsageMonth[]> {
  return usageShown ? ((await upstream.closedUsage?.(usageSince(today))) ?? []) : [];
}

/**
 * The audit's usage rows: each usage subscription of a bound company on a bound product, judged per month from
 * the additions of the bound companies' active agreements, with the agreement to sync it on (the judgement's).
 */
export async function judgeAuditUsage(input: {
  upstream: Pick<SyncUpstream, 'closedUsage'>;
  subscriptions: readonly {
    id: string;
    companyId: string;
    productId: string;
    billingTerm: string;
    price: number;
    partnerCost: number;
    status: string;
    startDate?: string | undefined;
  }[];
  boundCompanies: ReadonlySet<string>;
  productBindings: readonly Pick<
    ProductBinding,
    'pax8ProductId' | 'billingTerm' | 'usage' | 'markupPercent'
  >[];
  additions: readonly SyncAddition[];
  journal: readonly JournalRow[];
  /** The judgement's agreement for a subscription and its first un-invoiced month (unsynced-judge.ts). */
  judgedOf: (
    subscriptionId: string,
  ) => { agreementId: number | null; firstUninvoicedMonth: string } | undefined;
  today: string;
}): Promise<Map<string, AuditUsage>> {
  const bindingOf = new Map(input.productBindings.map((b) => [`${b.pax8ProductId}|${b.billingTerm}`, b]));
  const usage = input.subscriptions.flatMap((s) => {
    const binding = bindingOf.get(`${s.productId}|${s.billingTerm}`);
    return binding && input.boundCompanies.has(s.companyId) && isUsageSubscription(s, binding)
      ? [{ s, binding }]
      : [];
  });
  const closed = await readClosedUsage(input.upstream, usage.length > 0, input.today);
  return new Map(
    usage.map(({ s, binding }) => [
      s.id,
      {
        judged: judgeUsage({
          subscriptionId: s.id,
          startDate: s.startDate ?? input.today,
          today: input.today,
          closed,
          additions: input.additions,
          journal: input.journal,
          markupPercent: binding.markupPercent,
          firstUninvoicedMonth:
            input.judgedOf(s.id)?.firstUninvoicedMonth || addMonths(monthOf(input.today), 1),
        }),
        agreementId: input.judgedOf(s.id)?.agreementId ?? null,
      },
    ]),
  );
}

export type AuditUsage = { judged: UsageJudged; agreementId: number | null };
