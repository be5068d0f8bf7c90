// The seat history the views read for terms billed up front (spec §5): one read each, so the pod values each
// period as the plan does. Every other row is judged from the pages the view already read.
import { kindOf } from '../billing/terms.ts';
import type { SyncHistoryPoint, SyncSubscription } from './ports.ts';
import type { ViewContext } from './view.ts';

/**
 * The seat history (and the prorates waived at a seat change) of each term billed up front: without it a period
 * could only be valued at today's seats, an amount the sync would not write (Gibson's 3-Year: $3960.00 against
 * 3 × $792.00 + 2 × $504.39 = $3384.78). Up-front terms are few per company; everything else needs none.
 */
export async function upfrontHistories(
  ctx: Pick<ViewContext, 'store' | 'upstream'>,
  subscriptions: readonly SyncSubscription[],
): Promise<Map<string, { history: SyncHistoryPoint[]; waivedChangeKeys: string[] }>> {
  const read = ctx.upstream.subscriptionHistory;
  if (!read) return new Map();
  const upfront = subscriptions.filter((s) => kindOf(s.billingTerm) === 'upfront' && s.status !== 'Trial');
  const entries = await Promise.all(
    upfront.map(async (s) => {
      const [points, waived] = await Promise.all([
        read.call(ctx.upstream, s.id),
        ctx.store.waivedChangeKeys?.(s.id) ?? Promise.resolve([]),
      ]);
      const history = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      return [s.id, { history, waivedChangeKeys: waived }] as const;
    }),
  );
  return new Map(entries);
}
