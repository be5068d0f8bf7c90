// What the seat-change journal adds to the coverage of the subscription's history (pure): the changes whose
// prorate the member waived at the change. (Who made each change: sync/history-events.ts reads the same rows.)
import type { SeatChange } from '../store/seat-changes.ts';

/** Change keys whose prorate the member waived at the change. */
export const waivedKeysOf = (changes: readonly SeatChange[]): Set<string> =>
  new Set(changes.flatMap((c) => (c.waiveProrate && c.changeKey ? [c.changeKey] : [])));
