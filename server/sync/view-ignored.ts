// A prorate left out at apply (POST /api/sync/apply {ignore}) is owed, not synced (issue 9, the wizard list):
// apply journals it as 'ignored' under `ignored:<write key>` with the write; the views read no Pax8 history, so
// they take that row as the prorate owed on its agreement until a later sync writes it — a done journal row for
// the same history change (changeKey), or an addition carrying the write's marker. Pure.
import { dollars, timesCents, toCents } from '../billing/money.ts';
import { moneyInWords } from '../judgement/index.ts';
import { writeIdOf } from './marker.ts';
import type { PlannedWrite } from './plan-types.ts';
import type { JournalRow, SyncAddition } from './ports.ts';
import type { JudgedRow } from './view-rows.ts';

export const IGNORED_PREFIX = 'ignored:';

type Owed = { agreementId: number; cents: number };

/** Per subscription: the ignored prorates not written since, by agreement. */
export function ignoredOwed(
  journal: readonly JournalRow[],
  additions: readonly SyncAddition[],
): Map<string, Owed[]> {
  const writes = new Set(additions.flatMap((a) => (a.marker ? [a.marker.write] : [])));
  const doneChanges = new Set(
    journal.flatMap((r) => {
      const key = (r.request as Partial<PlannedWrite> | null)?.changeKey;
      return r.state === 'done' && r.kind === 'prorate' && key ? [`${r.agreementId}|${key}`] : [];
    }),
  );
  const out = new Map<string, Owed[]>();
  for (const r of journal) {
    if (r.state !== 'ignored' || !r.idempotencyKey.startsWith(IGNORED_PREFIX)) continue;
    const write = r.request as PlannedWrite;
    const key = r.idempotencyKey.slice(IGNORED_PREFIX.length);
    if (writes.has(writeIdOf(key))) continue;
    if (write.changeKey && doneChanges.has(`${r.agreementId}|${write.changeKey}`)) continue;
    const cents = timesCents(toCents(write.unitPrice, 'unitPrice'), write.quantity, 'quantity');
    out.set(r.subscriptionId, [...(out.get(r.subscriptionId) ?? []), { agreementId: r.agreementId, cents }]);
  }
  return out;
}

/**
 * A row the judgement calls synced (or written by hand) with an ignored prorate owed on its agreement reads
 * `prorate_pending`: the amount is added to what should be billed in the first un-invoiced month (where the
 * next sync would write it), and the words say it was ignored. A row judged with history already counts it.
 */
export function withIgnoredProrates(row: JudgedRow, owed: readonly Owed[] | undefined): JudgedRow {
  const cents = (owed ?? [])
    .filter((o) => o.agreementId === row.agreementId)
    .reduce((sum, o) => sum + o.cents, 0);
  if (cents === 0 || (row.status !== 'synced' && row.status !== 'written_by_hand')) return row;
  const [first, ...rest] = row.money.months;
  if (!first) return row;
  const months = [{ ...first, should: first.should + cents }, ...rest];
  return {
    ...row,
    status: 'prorate_pending',
    action: 'sync',
    unsyncedChanges: 1,
    money: {
      ...row.money,
      months,
      message: `${moneyInWords(months)} A prorate of ${dollars(cents)} was ignored at the last sync and is not written.`,
    },
  };
}
