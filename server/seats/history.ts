// What the seat-change journal adds to the subscription's history (pure): the changes whose prorate was waived,
// and who made a change from the pod. Pax8 records no order for a quantity update or a cancellation made through
// its API, so the history's "Ordered by" would be empty for them; the journal knows the ConnectWise member.
import type { SeatChange } from '../store/seat-changes.ts';
import type { HistoryEvent } from '../sync/history-events.ts';

/** Change keys whose prorate the member waived at the change. */
export const waivedKeysOf = (changes: readonly SeatChange[]): Set<string> =>
  new Set(changes.flatMap((c) => (c.waiveProrate && c.changeKey ? [c.changeKey] : [])));

/** Events with no "ordered by" of their own take the member who made them from the pod. */
export function withMembers(events: readonly HistoryEvent[], changes: readonly SeatChange[]): HistoryEvent[] {
  const byKey = new Map(changes.flatMap((c) => (c.changeKey ? [[c.changeKey, c.memberName] as const] : [])));
  const cancelledBy = changes.filter((c) => c.action === 'cancel').at(-1)?.memberName ?? null;
  return events.map((e) => {
    if (e.orderedBy !== null) return e;
    const member = e.changeKey ? byKey.get(e.changeKey) : e.action === 'cancel' ? cancelledBy : undefined;
    return member ? { ...e, orderedBy: member } : e;
  });
}
