// The subscription's history as Pax8's own screen lists it (the guide's "Subscription History"), pure: one row
// per change read from Pax8's snapshots (Pax8 sends no action field, so the action is the difference between
// two snapshots), who ordered it from Pax8's orders, and the ConnectWise lines that cover it from the journal.
import { type TermKind, termLabel, termOf } from '../billing/terms.ts';
import type { CoveredChange } from './history-coverage.ts';
import type { JournalRow } from './ports.ts';

export type HistoryAction = 'initial-order' | 'increase' | 'decrease' | 'cancel' | 'renewal';

/** The parts of a Pax8 snapshot the history reads (the client's Subscription fits). */
export type HistorySnapshot = {
  quantity: number;
  status: string;
  billingTerm: string;
  startDate: string;
  updatedDate?: string | null | undefined;
  commitmentTerm?: { term: string; endDate?: string | null | undefined } | null | undefined;
};

/** The parts of a Pax8 order the history reads: who placed it, and the quantity each line set. */
export type HistoryOrder = {
  createdDate?: string | null | undefined;
  orderedBy?: string | null | undefined;
  orderedByUserEmail?: string | null | undefined;
  lineItems: readonly { subscriptionId?: string | null | undefined; quantity: number }[];
};

/** A seat change made from the pod (done): who made it, and the history change it made (null for a cancel). */
export type PodChange = { action: string; changeKey: string | null; memberName: string };

export type CoveringLine = { kind: string; additionId: number; agreementId: number };

export type HistoryEvent = {
  date: string;
  action: HistoryAction;
  fromQuantity: number;
  toQuantity: number;
  /**
   * The member who made it from the pod ("Jane Smith via ConnectWise"), else the partner user (or Pax8's
   * `orderedBy`) of the order that set this quantity; null when neither names it.
   */
  orderedBy: string | null;
  /** As the pod rows say it: "Monthly", "Annual", "Annual, billed monthly". */
  term: string;
  /**
   * How the term in force is billed (spec §5): monthly (recurring + prorates), upfront / one-time (period lines +
   * co-termed prorates), trial (nothing), usage (closed months, judged by month not by change), unknown.
   */
  billedAs: TermKind;
  /** When the term in force renews (yyyy-mm-dd); null once cancelled. */
  renews: string | null;
  /** Pax8's status in the words of its screen ("Provisioning" for both pending states). */
  status: string;
  /** The quantity change in `changes` this row is (its prorate key); null for a cancel or a renewal. */
  changeKey: string | null;
  /** The journal's judgement: covered by the lines below (the wizard refines quantity rows with its plan). */
  synced: boolean;
  /** The ConnectWise additions that cover it, each with its agreement (to open it). */
  lines: CoveringLine[];
};

type Entry = Pick<JournalRow, 'kind' | 'state' | 'cwAdditionId' | 'agreementId' | 'request'>;

export type HistoryInput = {
  subscriptionId: string;
  snapshots: readonly HistorySnapshot[];
  orders: readonly HistoryOrder[];
  /** historyCoverage over toHistory(snapshots): one entry per quantity change, in the same order. */
  changes: readonly CoveredChange[];
  journal: readonly Entry[];
  /** Seat changes made from the pod: Pax8 records no order for an API update, so they name the member. */
  podChanges?: readonly PodChange[];
  /** The product is usage billed in arrears (the binding's flag, or Pax8's signs of it). */
  usage?: boolean;
};

const day = (value: string | null | undefined): string => (value ? value.slice(0, 10) : '');
const dateOf = (s: HistorySnapshot) => day(s.updatedDate ?? s.startDate);
const isCancelled = (status: string) => status === 'Cancelled' || status === 'PendingCancel';

const STATUS_WORDS: Record<string, string> = {
  PendingManual: 'Provisioning',
  PendingAutomated: 'Provisioning',
  PendingCancel: 'Pending cancel',
  WaitingForDetails: 'Waiting for details',
  PendingActivation: 'Pending activation',
};

/** The snapshot's term as billing reads it (terms.ts), on the day of the change. */
const termAt = (s: HistorySnapshot, date: string) =>
  termOf(
    { billingTerm: s.billingTerm, startDate: day(s.startDate) || date, commitment: s.commitmentTerm ?? null },
    date,
  );

/** A commitment renews the day after its term ends (terms.ts); a monthly term without one on the next 1st. */
export function renewsOn(s: HistorySnapshot, date: string): string | null {
  if (isCancelled(s.status)) return null;
  const term = termAt(s, date);
  if (term.renewsOn) return term.renewsOn;
  if (term.kind !== 'monthly' || !/^\d{4}-\d{2}/.test(date)) return null;
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return `${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}

/** The commitment's end moved later: a new term began. */
const renewed = (prev: HistorySnapshot, s: HistorySnapshot): boolean => {
  const before = day(prev.commitmentTerm?.endDate);
  return before !== '' && day(s.commitmentTerm?.endDate) > before;
};

/** Whoever placed the order that set this quantity on this day (the same quantity on another day is another order). */
function orderedByOf(
  orders: readonly HistoryOrder[],
  subscriptionId: string,
  date: string,
  quantity: number,
): string | null {
  const mine = orders.filter(
    (o) => day(o.createdDate) === date && o.lineItems.some((l) => l.subscriptionId === subscriptionId),
  );
  const order =
    mine.find((o) =>
      o.lineItems.some((l) => l.subscriptionId === subscriptionId && l.quantity === quantity),
    ) ?? mine[0];
  return order ? (order.orderedByUserEmail ?? order.orderedBy ?? null) : null;
}

type Period = { start: string; end: string };
const periodOf = (request: unknown): Period | null => {
  const p = (request as { period?: { start?: unknown; end?: unknown } } | null)?.period;
  return typeof p?.start === 'string' && typeof p.end === 'string' ? { start: p.start, end: p.end } : null;
};
const endsAddition = (request: unknown) =>
  typeof (request as { cancelledDate?: unknown } | null)?.cancelledDate === 'string';

/** What the journal's done writes cover: ConnectWise lines by kind, with their agreements. */
function coverIndex(journal: readonly Entry[]) {
  const done = journal.filter((j) => j.state === 'done' && j.cwAdditionId !== null);
  const lineOf = (kind: string, additionId: number | null): CoveringLine[] => {
    const row = additionId === null ? undefined : done.find((j) => j.cwAdditionId === additionId);
    return row && additionId !== null ? [{ kind, additionId, agreementId: row.agreementId }] : [];
  };
  const recurring = done.filter((j) => j.kind === 'recurring');
  const recurringIds = [...new Set(recurring.map((j) => j.cwAdditionId))];
  const allEnded = recurringIds.every((id) =>
    recurring.some((j) => j.cwAdditionId === id && endsAddition(j.request)),
  );
  return {
    lineOf,
    /** The period line (a term billed up front) whose service holds `date`. */
    periodHolding(date: string): CoveringLine[] {
      const row = done.find((j) => {
        const p = j.kind === 'period' ? periodOf(j.request) : null;
        return p !== null && p.start <= date && date <= p.end;
      });
      return row ? lineOf('period', row.cwAdditionId) : [];
    },
    /**
     * A cancellation is covered once every recurring addition written for it has a done write that set its
     * cancelled date ("create new" also ends the old one, so one ending write alone is not enough). Up front,
     * with no recurring addition, there is nothing to end.
     */
    ended(upFront: boolean): { synced: boolean; lines: CoveringLine[] } {
      if (recurringIds.length === 0) return { synced: upFront, lines: [] };
      return allEnded
        ? { synced: true, lines: recurringIds.flatMap((id) => lineOf('recurring', id)) }
        : { synced: false, lines: [] };
    },
  };
}

const unique = (lines: CoveringLine[]) =>
  lines.filter((l, i) => lines.findIndex((m) => m.additionId === l.additionId) === i);

export function historyEvents(input: HistoryInput): HistoryEvent[] {
  const { subscriptionId, orders, changes } = input;
  const pod = input.podChanges ?? [];
  const viaPod = (c: PodChange | undefined) => (c ? `${c.memberName} via ConnectWise` : null);
  const cover = coverIndex(input.journal);
  // Sorted as toHistory sorts them (stable), so the n-th quantity change here is changes[n].
  const sorted = [...input.snapshots].sort((a, b) =>
    (a.updatedDate ?? a.startDate).localeCompare(b.updatedDate ?? b.startDate),
  );
  const events: HistoryEvent[] = [];
  let index = -1;
  let prev: HistorySnapshot | undefined;
  for (const s of sorted) {
    const date = dateOf(s);
    const term = termAt(s, date);
    const billedAs: TermKind = input.usage ? 'usage' : term.kind;
    const upFront = billedAs === 'upfront' || billedAs === 'one-time';
    const base = {
      date,
      term: termLabel({ ...term, renewsOn: null }),
      billedAs,
      renews: renewsOn(s, date),
      status: STATUS_WORDS[s.status] ?? s.status,
    };
    const quantityRow = (action: HistoryAction, from: number) => {
      index++;
      const change = changes[index];
      const recurring = change?.coveredByRecurring
        ? cover.lineOf('recurring', change.recurringAdditionId)
        : [];
      const prorate = cover.lineOf('prorate', change?.prorateAdditionId ?? null);
      // Up front: the period line billing that day covers the seats it started with (the initial order, a
      // decrease), and a mid-term increase needs its co-termed prorate.
      const period = upFront ? cover.periodHolding(date) : [];
      const synced = upFront
        ? action === 'increase'
          ? prorate.length > 0 || (change?.synced ?? false)
          : period.length > 0 || recurring.length > 0
        : (change?.synced ?? false);
      events.push({
        ...base,
        action,
        fromQuantity: from,
        toQuantity: s.quantity,
        orderedBy:
          viaPod(pod.find((c) => c.action === 'quantity' && c.changeKey === change?.changeKey)) ??
          orderedByOf(orders, subscriptionId, date, s.quantity),
        changeKey: change?.changeKey ?? null,
        synced: billedAs === 'trial' || synced,
        lines: unique([...recurring, ...period, ...prorate]),
      });
    };
    if (!prev) quantityRow('initial-order', 0);
    else {
      if (s.quantity !== prev.quantity)
        quantityRow(s.quantity > prev.quantity ? 'increase' : 'decrease', prev.quantity);
      if (isCancelled(s.status) && !isCancelled(prev.status)) {
        events.push({
          ...base,
          action: 'cancel',
          fromQuantity: s.quantity,
          toQuantity: 0,
          orderedBy: viaPod(pod.find((c) => c.action === 'cancel')),
          changeKey: null,
          ...cover.ended(upFront || billedAs === 'trial'),
        });
      } else if (renewed(prev, s)) {
        // The seats carry into the new term: billed by the recurring addition, or up front by the new period's line.
        const current = changes[index];
        const lines = upFront
          ? cover.periodHolding(date)
          : current?.coveredByRecurring
            ? cover.lineOf('recurring', current.recurringAdditionId)
            : [];
        events.push({
          ...base,
          action: 'renewal',
          fromQuantity: s.quantity,
          toQuantity: s.quantity,
          orderedBy: null,
          changeKey: null,
          synced: lines.length > 0,
          lines,
        });
      }
    }
    prev = s;
  }
  return events;
}
