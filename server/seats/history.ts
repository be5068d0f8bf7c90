// What the seat-change journal adds to the subscription's history (pure): the changes whose prorate was waived.
// Who made a change from the pod ("Ordered By") is read by server/sync/history-events.ts from the same journal.
import type { SeatChange } from '../store/seat-changes.ts';

/** Change keys whose prorate the member waived at the change. */
export const waivedKeysOf = (changes: readonly SeatChange[]): Set<string> =>
  new Set(changes.flatMap((c) => (c.waiveProrate && c.changeKey ? [c.changeKey] : [])));
