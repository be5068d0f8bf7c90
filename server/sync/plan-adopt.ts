// Adopting a line written by hand (spec §2, §8): the recurring addition matched by product gets this
// subscription's marker on its next update. When its figures already agree, billing plans no write ('none'),
// so the marker would never come and the pod would say "written by hand" forever: the write becomes an update
// of the same figures, which apply sends with the marker.
import type { AdditionPlan } from '../billing/index.ts';

export function withAdoption(plan: AdditionPlan): AdditionPlan {
  if (!plan.matchedByProduct) return plan;
  const adopt = <T extends { kind: string; action: string; key: string }>(w: T): T =>
    w.kind === 'recurring' && w.action === 'none'
      ? { ...w, action: 'update', key: w.key.replace(':none:', ':adopt:') }
      : w;
  return { ...plan, writes: plan.writes.map(adopt), review: plan.review.map(adopt) };
}
