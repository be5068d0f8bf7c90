// A prorate or back-bill line left out at apply (POST /api/sync/apply {ignore}) is owed, not synced (issue 9, the
// wizard list; spec §8 "no back-bill line is pending"): apply journals it as 'ignored' under `ignored:<write key>`
// with the write; the views read no Pax8 history, so they take that row as owed on its agreement until a later
// sync writes it — an addition carrying the write's marker, a done journal row for the same history change
// (changeKey, a prorate), or a done one-time line over the same months (a back-bill). Pure.
import { dollars, timesCents, toCents } from '../billing/money.ts';
import { moneyInWords } from '../judgement/index.ts';
import { writeIdOf } from './marker.ts';
import type { PlannedWrite } from './plan-types.ts';
import type { JournalRow } from './ports.ts';
import type { JudgedRow, RowMoney } from './view-rows.ts';

export const IGNORED_PREFIX = 'ignored:';
const BACK_BILL_PREFIX = 'backbill:';

/** A line the plan proposes as owed (a prorate, a back-bill): ignored at apply, it is still owed. */
export const owedWhenIgnored = (w: Pick<PlannedWrite, 'kind' | 'action' | 'key'>): boolean =>
  w.action === 'create' && (w.kind === 'prorate' || w.key.startsWith(BACK_BILL_PREFIX));

type Owed = { agreementId: number; cents: number; what: 'prorate' | 'back-bill' };
type Period = { start: string; end: string };
const periodOf = (r: JournalRow): Period | undefined =>
  (r.request as Partial<PlannedWrite> | null)?.period ?? undefined;

/** Per subscription: the ignored prorates not written since, by agreement. */
export function ignoredOwed(
  journal: readonly JournalRow[],
  /** ConnectWise's additions: a marker naming the ignored write shows it written since. */
  additions: readonly { marker: { subscriptionId: string; write?: string } | null }[],
): Map<string, Owed[]> {
  const writes = new Set(additions.flatMap((a) => (a.marker?.write ? [a.marker.write] : [])));
  const doneChanges = new Set(
    journal.flatMap((r) => {
      const key = (r.request as Partial<PlannedWrite> | null)?.changeKey;
      return r.state === 'done' && r.kind === 'prorate' && key ? [`${r.agreementId}|${key}`] : [];
    }),
  );
  // One-time lines written over months (back-bills, extra months): a later one over an ignored back-bill's months bills them.
  const doneLines = journal.filter((r) => r.state === 'done' && r.kind === 'extra' && periodOf(r));
  const billedSince = (r: JournalRow, p: Period) =>
    doneLines.some((d) => {
      const q = periodOf(d) as Period;
      return (
        d.subscriptionId === r.subscriptionId &&
        d.agreementId === r.agreementId &&
        q.start <= p.end &&
        q.end >= p.start
      );
    });
  const out = new Map<string, Owed[]>();
  for (const r of journal) {
    if (r.state !== 'ignored' || !r.idempotencyKey.startsWith(IGNORED_PREFIX)) continue;
    const write = r.request as PlannedWrite;
    const key = r.idempotencyKey.slice(IGNORED_PREFIX.length);
    if (writes.has(writeIdOf(key))) continue;
    if (write.changeKey && doneChanges.has(`${r.agreementId}|${write.changeKey}`)) continue;
    const backBill = key.startsWith(BACK_BILL_PREFIX);
    if (backBill && write.period && billedSince(r, write.period)) continue;
    const cents = timesCents(toCents(write.unitPrice, 'unitPrice'), write.quantity, 'quantity');
    const owed: Owed = { agreementId: r.agreementId, cents, what: backBill ? 'back-bill' : 'prorate' };
    out.set(r.subscriptionId, [...(out.get(r.subscriptionId) ?? []), owed]);
  }
  return out;
}

/**
 * A row the judgement calls synced (or written by hand) with an ignored prorate or back-bill owed on its agreement
 * reads `prorate_pending`: the amount is added to what should be billed in the first un-invoiced month (where the
 * next sync would write it), and the words say it was ignored. Null when nothing ignored is owed there. The view
 * and the audit both use it (spec §8: one judgement on every screen).
 */
export function ignoredOwedMoney(
  judged: { status: string; agreementId: number | null; money: RowMoney },
  owed: readonly Owed[] | undefined,
): { status: 'prorate_pending'; money: RowMoney } | null {
  const here = (owed ?? []).filter((o) => o.agreementId === judged.agreementId);
  const cents = here.reduce((sum, o) => sum + o.cents, 0);
  if (cents === 0 || (judged.status !== 'synced' && judged.status !== 'written_by_hand')) return null;
  const [first, ...rest] = judged.money.months;
  if (!first) return null;
  const months = [{ ...first, should: first.should + cents }, ...rest];
  return {
    status: 'prorate_pending',
    money: { ...judged.money, months, message: [moneyInWords(months), ...ignoredWords(here)].join(' ') },
  };
}

/** A view row with the ignored lines owed on its agreement (ignoredOwedMoney). A row judged with history already counts them. */
export function withIgnoredProrates(row: JudgedRow, owed: readonly Owed[] | undefined): JudgedRow {
  const pending = ignoredOwedMoney(row, owed);
  return pending === null ? row : { ...row, ...pending, action: 'sync', unsyncedChanges: 1 };
}

/** "A prorate of $17.50 was ignored …", one sentence per kind of line. */
function ignoredWords(owed: readonly Owed[]): string[] {
  return (['prorate', 'back-bill'] as const).flatMap((what) => {
    const cents = owed.filter((o) => o.what === what).reduce((sum, o) => sum + o.cents, 0);
    return cents === 0
      ? []
      : [`A ${what} of ${dollars(cents)} was ignored at the last sync and is not written.`];
  });
}
