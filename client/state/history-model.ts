// The subscription's change history in the wizard: loaded once when first shown, again after Confirm, and
// each change judged covered or not (the server's facts from the journal, and the plan for prorates due).
import { signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import { type History, HistorySchema, type Plan } from './plan-schemas.ts';

export type HistoryState =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; history: History }
  | { status: 'error'; message: string };

export type HistoryChange = History['changes'][number];
export type HistoryEvent = NonNullable<History['events']>[number];
export type CoveringLine = HistoryEvent['lines'][number];

export function createHistoryModel(api: Api) {
  const state = signal<HistoryState>({ status: 'idle' });
  let subscriptionId: string | undefined;
  let seq = 0;

  const fetchNow = async () => {
    const id = subscriptionId;
    if (id === undefined) return;
    const mine = ++seq;
    state.value = { status: 'loading' };
    try {
      const history = await api.get(`/api/subscriptions/${id}/history`, HistorySchema);
      if (mine === seq) state.value = { status: 'ready', history };
    } catch (err) {
      if (mine === seq)
        state.value = { status: 'error', message: messageOf(err, 'The history could not be loaded') };
    }
  };

  return {
    state,
    /** A new wizard: forget the last subscription's history (a late answer for it is dropped). */
    reset(id: string | undefined) {
      seq++;
      subscriptionId = id;
      state.value = { status: 'idle' };
    },
    /** Loads once (when first shown, or for synced prorates). */
    load(): Promise<void> {
      return state.peek().status === 'idle' ? fetchNow() : Promise.resolve();
    },
    /** After Confirm: what was just written changes which lines cover each change; shown ones load again. */
    reload(): Promise<void> {
      return state.peek().status === 'idle' ? Promise.resolve() : fetchNow();
    },
    /** The CW addition a synced prorate was written as (from the journal), when known. */
    syncedAddition(changeKey: string): number | undefined {
      const h = state.value;
      if (h.status !== 'ready') return undefined;
      const done = h.history.journal.find((j) => j.changeKey === changeKey && j.state === 'done');
      return done?.additionId ?? undefined;
    },
  };
}

export type Coverage = { synced: boolean; detail: string };

/** The guide's words for each action; an action a newer server adds is shown as it comes. */
export const ACTION_WORDS: Record<string, string> = {
  'initial-order': 'Initial Order',
  increase: 'Increase',
  decrease: 'Decrease',
  cancel: 'Cancel',
  renewal: 'Renewal',
};

/** The history's rows: the server's events, or (from an older server) the quantity changes alone. */
export function eventsOf(history: History): HistoryEvent[] {
  if (history.events) return history.events;
  return history.changes.map((c, i) => ({
    date: c.date,
    action: i === 0 ? 'initial-order' : c.quantity > c.previousQuantity ? 'increase' : 'decrease',
    fromQuantity: c.previousQuantity,
    toQuantity: c.quantity,
    orderedBy: null,
    term: '',
    billedAs: 'monthly',
    renews: null,
    status: '',
    changeKey: c.changeKey,
    synced: c.synced,
    lines: [],
  }));
}

/** "3", "3 → 1": the initial order and a renewal set no new quantity, so they show one figure. */
export const quantityWords = (e: HistoryEvent): string =>
  e.action === 'initial-order' || e.fromQuantity === e.toQuantity
    ? String(e.toQuantity)
    : `${e.fromQuantity} → ${e.toQuantity}`;

export type EventCoverage = Coverage & {
  lines: (Omit<CoveringLine, 'agreementId'> & { agreementId: number | null })[];
  /** In place of SYNCED / NOT SYNCED when the change is not what gets billed (usage: by closed month). */
  label?: string;
};

/** Why a change of a term billed up front is not synced yet, in words. */
const UP_FRONT_WHY: Record<string, string> = {
  increase: 'its co-termed prorate is not written',
  cancel: 'the recurring addition is not ended yet',
};

/** A change of a term not billed monthly: the server's judgement from the journal, in words. */
function termCoverage(event: HistoryEvent, lines: EventCoverage['lines']): EventCoverage {
  const by = lines.map((l) => `${l.kind} #${l.additionId}`).join(' + ');
  if (event.billedAs === 'usage')
    return { synced: true, label: 'IN ARREARS', detail: 'billed per closed usage month', lines };
  if (event.billedAs === 'trial')
    return { synced: event.synced, detail: by || 'a trial bills nothing', lines };
  if (event.billedAs === 'unknown')
    return { synced: event.synced, detail: by || 'this product cannot bill this term', lines };
  if (event.synced) return { synced: true, detail: by, lines };
  const why = UP_FRONT_WHY[event.action] ?? 'its period line is not written';
  return { synced: false, detail: by ? `${by}; ${why}` : why, lines };
}

/**
 * A history row's coverage: a quantity change as coverageOf judges it (the journal and the plan), a cancel or
 * renewal as the server's journal judged it. The lines are the additions to open; a recurring addition the
 * plan found in step (no journal) is on the wizard's agreement.
 */
export function eventCoverage(
  event: HistoryEvent,
  history: History,
  plan: Plan | undefined,
  agreementId?: number,
): EventCoverage {
  const change = event.changeKey ? history.changes.find((c) => c.changeKey === event.changeKey) : undefined;
  const lines: EventCoverage['lines'] = [...event.lines];
  // A recurring addition the plan finds in step (written by hand, no journal) bills the seats now.
  const recurring = plan?.additions.find((a) => a.kind === 'recurring' && a.action === 'none');
  const inStep =
    typeof recurring?.additionId === 'number'
      ? { kind: 'recurring', additionId: recurring.additionId, agreementId: agreementId ?? null }
      : undefined;
  if (event.billedAs !== 'monthly') return termCoverage(event, lines);
  if (!change) {
    // A renewal carries the seats into the new term: a recurring addition billing them covers it.
    if (event.action === 'renewal' && !lines.length && inStep) lines.push(inStep);
    const synced = event.synced || (event.action === 'renewal' && lines.length > 0);
    const detail = lines.length
      ? lines.map((l) => `${l.kind} #${l.additionId}`).join(' + ')
      : event.action === 'cancel'
        ? 'the recurring addition is not ended yet'
        : 'the recurring addition does not bill it';
    return { synced, detail, lines };
  }
  const coverage = coverageOf(change, plan);
  if (inStep && !lines.some((l) => l.kind === 'recurring')) lines.unshift(inStep);
  return { ...coverage, lines };
}

/**
 * Whether a change is covered, and by what (or why not), in words. The recurring addition covers it when the
 * journal says so, or when the plan finds the recurring addition already in step. An increase (the initial
 * order is one) also needs its prorate, unless the plan proposes none for it (threshold, or before the
 * look-back: the plan's warning shows that amount); an excluded or ignored prorate leaves it not synced.
 */
export function coverageOf(change: HistoryChange, plan: Plan | undefined): Coverage {
  const recurring = plan?.additions.find((a) => a.kind === 'recurring' && a.action !== 'cancel');
  const inStep = recurring?.action === 'none';
  const byRecurring = change.coveredByRecurring || inStep;
  const recurringId = change.recurringAdditionId ?? (inStep ? recurring?.additionId : undefined);
  const row = plan?.prorates.find((p) => p.changeKey === change.changeKey);
  const increase = change.quantity > change.previousQuantity;
  const prorateId = change.prorateAdditionId;
  const prorateDone = prorateId !== null || row?.synced === true;
  const lines: string[] = [];
  if (byRecurring) lines.push(`recurring${recurringId != null ? ` #${recurringId}` : ''}`);
  if (prorateDone) lines.push(`prorate${prorateId !== null ? ` #${prorateId}` : ''}`);
  const by = lines.join(' + ');
  if (!byRecurring) return { synced: false, detail: 'the recurring addition does not bill it yet' };
  if (increase && !prorateDone) {
    if (row?.waived) return { synced: true, detail: `${by}; prorate waived at the seat change` };
    if (row) {
      const why = row.excluded ? 'its prorate is excluded' : 'its prorate is not written';
      return { synced: false, detail: `${by}; ${why}` };
    }
    // Without a plan (product not bound yet) only the journal speaks: no written prorate, not synced.
    if (!plan) return { synced: change.synced, detail: by };
    return { synced: true, detail: `${by}; no prorate due` };
  }
  return { synced: true, detail: by };
}
