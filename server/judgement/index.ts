// The judgement of "synced" (spec §8): one pure function over Pax8 and ConnectWise snapshots.
export { findGhosts, isOneMonthLine, subscriptionGone } from './ghosts.ts';
export { HORIZON_MONTHS, judge, LOOK_BACK_MONTHS, OLDER_MONTHS } from './judge.ts';
export type * from './types.ts';
export { moneyInWords } from './words.ts';
