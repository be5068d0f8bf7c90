// A subscription's life as billing sees it: when its service ends (cancelled), and where billing starts (a
// converted trial is billed as a new subscription from its conversion).
import { dayAfter, type IsoDate } from './dates.ts';
import { quantityBefore } from './plan-prorates.ts';
import type { BillingSnapshot } from './plan-types.ts';
import type { QuantityChange } from './prorate.ts';

const CANCELLED = new Set(['Cancelled', 'PendingCancel']);

/** The day the service ends (spec §7): the end date, else today for a cancelled status; undefined while it runs. */
export function serviceEnd(
  subscription: Pick<BillingSnapshot['subscription'], 'status'> & { endDate?: IsoDate | null | undefined },
  today: IsoDate,
): IsoDate | undefined {
  if (subscription.endDate) return subscription.endDate;
  return CANCELLED.has(subscription.status) ? today : undefined;
}

/** A converted trial is billed from its conversion as a new subscription (spec §5): earlier history is dropped. */
export function billedHistory(
  history: QuantityChange[],
  convertedDate: IsoDate | undefined,
): QuantityChange[] {
  if (!convertedDate) return history;
  const later = history.filter((c) => c.date > convertedDate);
  const atConversion = quantityBefore(history, dayAfter(convertedDate));
  return [{ date: convertedDate, quantity: atConversion }, ...later];
}
