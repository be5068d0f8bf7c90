// The board's rows from what was read (pure): the audit's one judgement (judgeAudit, spec §8) decides the status
// and the money per month; Pax8's invoice and draft items give the cost; margin, leakage and the margin floor
// follow. Only bound companies are on the board; an ended subscription ConnectWise no longer bills is not. A term
// billed up front or once is judged per billing period: its figures are that charge, never counted as money a month.
import { type Cents, dollars } from '../billing/money.ts';
import { billedPerPeriod, kindOf, termMonths } from '../billing/terms.ts';
import { moneyCents } from '../judgement/months.ts';
import {
  type AuditInputSubscription,
  classifySubscription,
  hasEnded,
  lastSyncedOf,
  productKey,
} from '../sync/unsynced.ts';
import type { AuditJudged } from '../sync/unsynced-judge.ts';
import type { CostIndex } from './cost.ts';
import type { BoardCharge, BoardMonth, BoardRow, BoardTotals, UpFrontTotals } from './types.ts';

export type BoardInput = {
  subscriptions: readonly AuditInputSubscription[];
  pax8Companies: readonly { id: string; name: string }[];
  companyBindings: readonly { cwCompanyId: number; pax8CompanyId: string }[];
  productBindings: readonly { pax8ProductId: string; billingTerm: string; price: string | null }[];
  journal: ReadonlyMap<string, readonly { state: string; updatedAt: string }[]>;
  ignored: ReadonlySet<string>;
  judged: ReadonlyMap<string, AuditJudged>;
  priceOverrides: ReadonlyMap<string, string>;
  costs: CostIndex;
  marginFloorPercent: number | null;
  now: Date;
};

const TWICE = new Set(['duplicate', 'double_billed']);

/**
 * What a row's figures are, as the judgement bills it (billedPerPeriod): a term billed up front owes one line per
 * billing period, One-Time / Activation one line once; a trial (judged per month) and every other term are per month.
 */
export function chargeOf(billingTerm: string, status: string): { charge: BoardCharge; chargeWords: string } {
  if (!billedPerPeriod(billingTerm, status)) return { charge: 'month', chargeWords: 'a month' };
  if (kindOf(billingTerm) === 'one-time') return { charge: 'once', chargeWords: 'once' };
  const years = (termMonths(billingTerm) ?? 12) / 12;
  return { charge: 'period', chargeWords: `per ${years === 1 ? 'year' : `${years} years`}, up front` };
}

export function boardRows(input: BoardInput): BoardRow[] {
  const names = new Map(input.pax8Companies.map((c) => [c.id, c.name]));
  const cwCompanyOf = new Map(input.companyBindings.map((b) => [b.pax8CompanyId, b.cwCompanyId]));
  const bindings = new Map(input.productBindings.map((b) => [productKey(b.pax8ProductId, b.billingTerm), b]));
  const ctx = {
    cwCompanyOf,
    boundProducts: new Set(bindings.keys()),
    lastSynced: lastSyncedOf(input.journal),
    judged: input.judged,
  };
  const thisMonth = input.now.toISOString().slice(0, 7);
  const rows: BoardRow[] = [];
  for (const sub of input.subscriptions) {
    const cwCompanyId = cwCompanyOf.get(sub.companyId);
    if (cwCompanyId === undefined) continue;
    const judged = input.judged.get(sub.id);
    if (hasEnded(sub, input.now) && judged?.reason !== 'cancelled_billing') continue;
    const status = classifySubscription(sub, ctx) ?? 'synced';
    const figures = status === 'arrears' ? [] : (judged?.money.months ?? []);
    const binding = bindings.get(productKey(sub.productId, sub.billingTerm));
    const price = moneyCents(input.priceOverrides.get(sub.id) ?? binding?.price ?? sub.price);
    const { charge, chargeWords } = chargeOf(sub.billingTerm, sub.status);
    const monthly = charge === 'month';
    const monthOf = (month: string, will: Cents, should: Cents): BoardMonth => {
      const cost = input.costs.get(sub.id)?.get(month);
      // Price and cost of a term up front are per billing period (spec §5): without Pax8's item, the period's
      // cost is set against the month its charge bills in, and a month that bills none of it costs nothing.
      const charged = monthly || will > 0 || should > 0;
      const costCents = cost?.cents ?? (charged ? Math.round(moneyCents(sub.partnerCost) * sub.quantity) : 0);
      const source = cost?.source ?? 'subscription';
      // A charge up front or once is not billed month by month: no month leaks its seats.
      if (!monthly) return { month, will, should, costCents, costSource: source, leakSeats: 0, leakCents: 0 };
      // Seats Pax8 charges that month that ConnectWise bills for nobody.
      const pax8Seats = cost && cost.seats > 0 ? cost.seats : sub.quantity;
      const billedSeats = price > 0 ? Math.floor(will / price) : will > 0 ? pax8Seats : 0;
      const leakSeats = Math.max(0, pax8Seats - billedSeats);
      const unitCost = pax8Seats > 0 ? Math.round(costCents / pax8Seats) : 0;
      return {
        month,
        will,
        should,
        costCents,
        costSource: source,
        leakSeats,
        leakCents: leakSeats * unitCost,
      };
    };
    const months = figures.map((m) => monthOf(m.month, m.will, m.should));
    const first = months[0];
    const head = first ?? monthOf(thisMonth, 0, 0);
    const { will, should, costCents } = head;
    const marginAfterSync = should - costCents;
    const marginPercent = should > 0 ? Math.round((marginAfterSync / should) * 10_000) / 100 : null;
    const row: BoardRow = {
      subscriptionId: sub.id,
      pax8CompanyId: sub.companyId,
      companyName: names.get(sub.companyId) ?? `Unknown Pax8 company ${sub.companyId}`,
      cwCompanyId,
      agreementId: judged?.agreementId ?? null,
      productId: sub.productId,
      productName: sub.productName || sub.productId,
      billingTerm: sub.billingTerm,
      charge,
      chargeWords,
      quantity: sub.quantity,
      status,
      ignored: input.ignored.has(sub.id),
      month: first?.month ?? null,
      months,
      willCents: will,
      shouldCents: should,
      differenceCents: should - will,
      costCents,
      costSource: head.costSource,
      marginCents: will - costCents,
      marginAfterSyncCents: marginAfterSync,
      marginPercent,
      // Not judged per month (arrears, up-front terms, an unbound product): leakage unknown, not zero.
      leakSeats: first && monthly ? first.leakSeats : null,
      leakCents: first && monthly ? first.leakCents : null,
      message: judged?.money.message ?? messageOf(status),
      belowMarginFloor: false,
    };
    rows.push(flagFloor(row, input.marginFloorPercent));
  }
  return rows;
}

/**
 * Below the tenant's margin floor: a judged line whose margin after a sync is under the floor's percentage of
 * what it should bill (or that costs money and bills nothing). No floor: never. A charge up front or once is
 * weighed only in a month its charge bills: Pax8's invoice of the period may fall in another month.
 */
export function flagFloor(row: BoardRow, floor: number | null): BoardRow {
  const below =
    floor !== null &&
    row.months.length > 0 &&
    (row.marginPercent === null ? row.charge === 'month' && row.costCents > 0 : row.marginPercent < floor);
  return below === row.belowMarginFloor ? row : { ...row, belowMarginFloor: below };
}

function messageOf(status: BoardRow['status']): string {
  if (status === 'arrears') return 'Billed in arrears from Pax8 invoices: not judged per month.';
  if (status === 'product_not_bound')
    return 'The Pax8 product is not bound to a ConnectWise catalog item yet.';
  return '';
}

/** Out of step: neither synced nor ignored, and something a sync (or a binding) can fix. */
export const isOutOfStep = (row: Pick<BoardRow, 'status' | 'ignored'>): boolean =>
  !row.ignored && row.status !== 'synced' && row.status !== 'arrears';

/** Money ConnectWise bills short, twice, or above what it should. */
export type Gaps = { notBilled: Cents; twice: Cents; over: Cents };

/**
 * The totals over rows (the ignored ones are not counted), per headline month: the rows billed per month make the
 * money a month; the charges up front or once are summed apart (upFront).
 */
export function totalsOf(rows: readonly BoardRow[]): BoardTotals {
  const money = (): UpFrontTotals => ({
    rows: 0,
    notBilledCents: 0,
    billedTwiceCents: 0,
    overBilledCents: 0,
    costCents: 0,
    willCents: 0,
    marginCents: 0,
  });
  const t = { ...money(), rows: rows.length, outOfStep: 0, leakSeats: 0, leakCents: 0, belowMarginFloor: 0 };
  const up = money();
  for (const r of rows) {
    if (r.ignored) continue;
    if (isOutOfStep(r)) t.outOfStep++;
    if (r.belowMarginFloor) t.belowMarginFloor++;
    const into = r.charge === 'month' ? t : up;
    if (into === up) up.rows++;
    if (r.differenceCents > 0) into.notBilledCents += r.differenceCents;
    else if (TWICE.has(r.status)) into.billedTwiceCents -= r.differenceCents;
    else into.overBilledCents -= r.differenceCents;
    into.costCents += r.costCents;
    into.willCents += r.willCents;
    into.marginCents += r.marginCents;
    t.leakSeats += r.leakSeats ?? 0;
    t.leakCents += r.leakCents ?? 0;
  }
  const gaps = (x: typeof t | UpFrontTotals): Gaps => ({
    notBilled: x.notBilledCents,
    twice: x.billedTwiceCents,
    over: x.overBilledCents,
  });
  return { ...t, upFront: up, statement: statementOf(gaps(t), gaps(up)) };
}

/**
 * "$1,284.50 a month not billed, $310.00 billed twice" (and what else bills too much, when any), then the charges
 * up front or once when any is off: "; $3,384.78 of up-front charges not billed".
 */
export function statementOf(monthly: Gaps, upFront: Gaps = { notBilled: 0, twice: 0, over: 0 }): string {
  const parts = [
    `${dollars(monthly.notBilled)} a month not billed`,
    `${dollars(monthly.twice)} billed twice`,
  ];
  if (monthly.over > 0) parts.push(`${dollars(monthly.over)} billed above what it should`);
  const up = [
    upFront.notBilled > 0 ? `${dollars(upFront.notBilled)} of up-front charges not billed` : '',
    upFront.twice > 0 ? `${dollars(upFront.twice)} of up-front charges billed twice` : '',
    upFront.over > 0 ? `${dollars(upFront.over)} of up-front charges billed above what they should` : '',
  ].filter(Boolean);
  return up.length === 0 ? parts.join(', ') : `${parts.join(', ')}; ${up.join(', ')}`;
}
