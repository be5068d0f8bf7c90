// Settling writes that were sent without an answer (outcome.ts): before an apply writes anything, every open
// write of the subscription on the agreement is looked up in the one read of ConnectWise apply made.
import { countWrite } from '../metrics.ts';
import type { ApplyContext } from './apply.ts';
import { type Seen, settle } from './apply-recover.ts';
import { outcomeUnknown } from './outcome.ts';
import type { PlanBody } from './plan-types.ts';
import type { JournalRow, StoredPlan, SyncAddition } from './ports.ts';

/**
 * Settles every open write before anything is written: found → done; proven lost → failed (sent again if
 * this plan still has it); still able to land → 409 write_outcome_unknown, nothing written. A late write of
 * an older plan could otherwise land after, or beside, this plan's writes.
 */
export async function settleOpen(
  ctx: ApplyContext,
  plan: StoredPlan,
  body: PlanBody,
  open: JournalRow[],
  seen: Seen,
  journal: Map<string, JournalRow>,
): Promise<void> {
  let until: Date | null = null;
  const waiting: string[] = [];
  for (const row of open) {
    const planned = body.writes.find((w) => w.key === row.idempotencyKey) ?? null;
    const s = settle(row, planned, { plan, body, seen });
    if ('found' in s) {
      await recovered(ctx, plan, body, row, s.found);
      journal.set(row.idempotencyKey, { ...row, state: 'done', cwAdditionId: s.found.id });
      seen.doneIds.add(s.found.id);
    } else if ('lost' in s) {
      await ctx.store.markFailed(row.id, 'not in ConnectWise after the write could no longer land');
      journal.set(row.idempotencyKey, { ...row, state: 'failed' });
    } else {
      waiting.push(row.idempotencyKey);
      if (!until || s.until > until) until = s.until;
    }
  }
  if (until) throw outcomeUnknown(body.subscriptionId, until, { keys: waiting });
}

/** A write found in ConnectWise after its answer was lost: journaled done and audited as recovered. */
export async function recovered(
  ctx: ApplyContext,
  plan: StoredPlan,
  body: PlanBody,
  row: JournalRow,
  found: SyncAddition,
): Promise<void> {
  await ctx.store.markDone(row.id, found.id, found);
  countWrite(row.kind, 'recovered');
  await ctx.store.audit({
    actor: ctx.actor.memberId,
    action: `addition.${row.action}`,
    target: `agreement:${body.agreementId}/addition:${found.id}`,
    before: null,
    after: {
      ...found,
      key: row.idempotencyKey,
      kind: row.kind,
      planId: plan.id,
      memberName: ctx.actor.memberName,
      recovered: true,
    },
  });
}
