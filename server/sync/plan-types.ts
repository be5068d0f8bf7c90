// The plan as sync stores it: billing's writes plus what apply needs to recover after a crash.
import type { AdditionWrite } from '../billing/plan-types.ts';

/** One planned write, exactly as billing's planAdditions returns it (money as decimal strings). */
export type PlannedWrite = AdditionWrite;

export type PlanBody = {
  subscriptionId: string;
  agreementId: number;
  writes: PlannedWrite[];
  review: unknown;
  warnings: unknown[];
  term: unknown;
  /** A price the wizard chose, remembered once the plan is applied (null: forget it); absent: no change. */
  priceChoice?: { unitPrice: string; pax8Price: string } | null;
  /** Addition ids on the agreement when the plan was made: a recovered create is never one of them. */
  knownAdditionIds: number[];
};

export type AppliedWrite = { key: string; kind: string; action: string; additionId: number | null };

export type ApplyResult = {
  applied: AppliedWrite[];
  skipped: { key: string; reason: 'ignored' | 'nothing_to_do' }[];
};
