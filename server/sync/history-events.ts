// The subscription's history as Pax8's own screen lists it (the guide's "Subscription History"), pure: one row
// per change read from Pax8's snapshots (Pax8 sends no action field, so the action is the difference between
// two snapshots), who ordered it from Pax8's orders, and the ConnectWise lines that cover it from the journal.
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

export type CoveringLine = { kind: string; additionId: number; agreementId: number };

export type HistoryEvent = {
  date: string;
  action: HistoryAction;
  fromQuantity: number;
  toQuantity: number;
  /** The partner user (or Pax8's `orderedBy`) of the order that set this quantity; null when no order names it. */
  orderedBy: string | null;
  /** e.g. "Monthly", "Annual", "Monthly · Annual commitment". */
  term: string;
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

export function termWords(s: HistorySnapshot): string {
  const commitment = s.commitmentTerm?.term;
  return commitment && commitment !== s.billingTerm
    ? `${s.billingTerm} · ${commitment} commitment`
    : s.billingTerm;
}

/** The commitment's end moved later: a new term began. */
const renewed = (prev: HistorySnapshot, s: HistorySnapshot): boolean => {
  const before = day(prev.commitmentTerm?.endDate);
  return before !== '' && day(s.commitmentTerm?.endDate) > before;
};

/** A commitment renews when it ends; a monthly term without one renews on the 1st of the next month. */
export function renewsOn(s: HistorySnapshot, date: string): string | null {
  if (isCancelled(s.status)) return null;
  const end = day(s.commitmentTerm?.endDate);
  if (end) return end;
  if (s.billingTerm !== 'Monthly' || !/^\d{4}-\d{2}/.test(date)) return null;
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return `${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}

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

export function historyEvents(input: {
  subscriptionId: string;
  snapshots: readonly HistorySnapshot[];
  orders: readonly HistoryOrder[];
  /** historyCoverage over toHistory(snapshots): one entry per quantity change, in the same order. */
  changes: readonly CoveredChange[];
  journal: readonly Entry[];
}): HistoryEvent[] {
  const { subscriptionId, orders, changes } = input;
  const done = input.journal.filter((j) => j.state === 'done' && j.cwAdditionId !== null);
  const lineOf = (kind: string, additionId: number | null): CoveringLine[] => {
    const row = additionId === null ? undefined : done.find((j) => j.cwAdditionId === additionId);
    return row && additionId !== null ? [{ kind, additionId, agreementId: row.agreementId }] : [];
  };
  // A cancellation is covered once every recurring addition written for the subscription has a done write that
  // set its cancelled date ("create new" also ends the old one, so one ending write alone is not enough).
  const recurring = done.filter((j) => j.kind === 'recurring');
  const ends = (j: Entry) =>
    typeof (j.request as { cancelledDate?: unknown } | null)?.cancelledDate === 'string';
  const recurringIds = [...new Set(recurring.map((j) => j.cwAdditionId))];
  const endedLines = recurringIds.every((id) => recurring.some((j) => j.cwAdditionId === id && ends(j)))
    ? recurringIds.flatMap((id) => lineOf('recurring', id))
    : [];
  // Sorted as toHistory sorts them (stable), so the n-th quantity change here is changes[n].
  const sorted = [...input.snapshots].sort((a, b) =>
    (a.updatedDate ?? a.startDate).localeCompare(b.updatedDate ?? b.startDate),
  );
  const events: HistoryEvent[] = [];
  let index = -1;
  let prev: HistorySnapshot | undefined;
  for (const s of sorted) {
    const date = dateOf(s);
    const base = {
      date,
      term: termWords(s),
      renews: renewsOn(s, date),
      status: STATUS_WORDS[s.status] ?? s.status,
    };
    const quantityRow = (action: HistoryAction, from: number) => {
      index++;
      const change = changes[index];
      events.push({
        ...base,
        action,
        fromQuantity: from,
        toQuantity: s.quantity,
        orderedBy: orderedByOf(orders, subscriptionId, date, s.quantity),
        changeKey: change?.changeKey ?? null,
        synced: change?.synced ?? false,
        lines: change
          ? [
              ...lineOf('recurring', change.recurringAdditionId),
              ...lineOf('prorate', change.prorateAdditionId),
            ]
          : [],
      });
    };
    if (!prev) quantityRow('initial-order', 0);
    else {
      if (s.quantity !== prev.quantity)
        quantityRow(s.quantity > prev.quantity ? 'increase' : 'decrease', prev.quantity);
      if (isCancelled(s.status) && !isCancelled(prev.status)) {
        const lines = endedLines;
        events.push({
          ...base,
          action: 'cancel',
          fromQuantity: s.quantity,
          toQuantity: 0,
          orderedBy: null,
          changeKey: null,
          synced: lines.length > 0,
          lines,
        });
      } else if (renewed(prev, s)) {
        // The seats carry into the new term: the recurring addition billing them covers the renewal.
        const current = changes[index];
        const lines = current?.coveredByRecurring ? lineOf('recurring', current.recurringAdditionId) : [];
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
