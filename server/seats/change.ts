// A seat change made from inside ConnectWise (guide "Modify quantity"): change a Pax8 subscription's quantity
// or cancel it. Told as a story like sync/apply: lock, look for the key, check the NCE rules before Pax8 is
// called, journal, send, settle, audit. A retry or a double click with the same key changes seats once; a send
// whose answer was lost stays 'unknown' until a read of Pax8 shows whether it took (as sync/outcome.ts does).

import { changeKeys } from '../billing/prorate.ts';
import { type Term, termLabel, termOf, windowOpen } from '../billing/terms.ts';
import { AppError, isAppError } from '../errors.ts';
import { toHistory } from '../pax8/sync-adapter.ts';
import type { SeatChange, SeatChangeAction, SeatChangeClaim } from '../store/seat-changes.ts';
import type { AuditEntry } from '../sync/ports.ts';
import { isArrears } from '../sync/unsynced.ts';
import { plainRefusal, refused, usageRefusal, windowRefusal } from './refusals.ts';

export type SeatSubscription = {
  id: string;
  companyId: string;
  productId: string;
  productName: string;
  billingTerm: string;
  quantity: number;
  status: string;
  startDate: string;
  createdDate?: string | null | undefined;
  updatedDate?: string | null | undefined;
  commitmentTerm?: { term: string; endDate?: string | null | undefined } | null | undefined;
  /** Per-unit price and partner cost: both 0 outside a trial marks a usage product (reference §1.6). */
  price?: number | undefined;
  partnerCost?: number | undefined;
};

/** The Pax8 calls a seat change makes (the Pax8 client fits). */
export type SeatPax8 = {
  get(id: string): Promise<SeatSubscription>;
  history(id: string): Promise<readonly SeatSubscription[]>;
  update(id: string, body: { quantity: number }): Promise<SeatSubscription>;
  cancel(id: string, cancelDate: string): Promise<void>;
};

/** The store, scoped to the session's tenant. */
export type SeatStore = {
  isBound(pax8CompanyId: string): Promise<boolean>;
  /** The product binding's own "usage" flag for this product and term (false when unbound). */
  usageBinding?(pax8ProductId: string, billingTerm: string): Promise<boolean>;
  byKey(key: string): Promise<SeatChange | null>;
  claim(input: SeatChangeClaim): Promise<{ change: SeatChange; created: boolean }>;
  markSent(id: string): Promise<SeatChange>;
  markUnknown(id: string, response: unknown): Promise<SeatChange>;
  markFailed(id: string, response: unknown): Promise<SeatChange>;
  markDone(id: string, changeKey: string | null, response: unknown): Promise<SeatChange>;
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, owner: string): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
};

export type SeatContext = {
  pax8: SeatPax8;
  store: SeatStore;
  now: () => Date;
  actor: { memberId: string; memberName: string };
  requestId: string;
};

export type SeatRequest = {
  subscriptionId: string;
  action: SeatChangeAction;
  /** The new quantity (a cancellation keeps the current one). */
  quantity?: number;
  waiveProrate: boolean;
  idempotencyKey: string;
};

export type SeatResult = {
  changeId: string;
  subscriptionId: string;
  action: SeatChangeAction;
  fromQuantity: number;
  toQuantity: number;
  waiveProrate: boolean;
  changeKey: string | null;
  /** False when this key was already done: the answer of the first call, nothing sent again. */
  replayed: boolean;
  subscription: { quantity: number; status: string; productName: string; billingTerm: string };
};

/**
 * How long after it was first sent a seat change may still land: the Pax8 client tries a PUT or DELETE up to 4
 * times (30 s timeout each, 1 + 2 + 4 s between), plus a bound on Pax8's own processing of a request it already
 * holds (100 s). A read of Pax8 after `sentAt + W` that does not show the change proves it was lost.
 */
export const PAX8_OUTCOME_WINDOW_MS = 240_000;
/** Longer than one send with all its retries, so the lock never lapses mid-change. */
const LOCK_TTL_MS = 300_000;

export async function changeSeats(ctx: SeatContext, req: SeatRequest): Promise<SeatResult> {
  const lockKey = `seats:subscription:${req.subscriptionId}`;
  if (!(await ctx.store.acquireLock(lockKey, ctx.requestId, LOCK_TTL_MS))) {
    throw new AppError(
      'conflict',
      'Another change of this subscription is in progress; try again in a moment',
      {
        details: { subscriptionId: req.subscriptionId },
      },
    );
  }
  try {
    return await changeLocked(ctx, req);
  } finally {
    await ctx.store.releaseLock(lockKey, ctx.requestId);
  }
}

async function changeLocked(ctx: SeatContext, req: SeatRequest): Promise<SeatResult> {
  const { pax8, store } = ctx;
  const sub = await pax8.get(req.subscriptionId);
  // Tenant isolation: a subscription of a Pax8 company this tenant has not bound is not ours to change.
  if (!(await store.isBound(sub.companyId)))
    throw new AppError('forbidden', 'This subscription belongs to a Pax8 company that is not bound');

  // 1. The key already used: the same change answers as it did; another change under it is refused.
  const earlier = await store.byKey(req.idempotencyKey);
  if (earlier) {
    if (!sameRequest(earlier, req))
      throw new AppError('conflict', 'This idempotency key was used for another seat change', {
        details: { idempotencyKey: req.idempotencyKey },
      });
    if (earlier.state === 'done') return resultOf(earlier, sub, true);
    if (earlier.state === 'sent' || earlier.state === 'unknown') {
      const settled = await settle(ctx, earlier, sub);
      if (settled) return settled;
    }
  }

  // 2. The rules, before Pax8 is called (again for a retried row: time has passed since).
  const to = earlier?.toQuantity ?? (req.action === 'cancel' ? sub.quantity : (req.quantity ?? sub.quantity));
  if (req.action === 'quantity') await refuseUsage(ctx, sub);
  refuseByRules(ctx, req, sub, to);

  // 3. Journal, then send.
  const { change } = earlier
    ? { change: earlier }
    : await store.claim({
        idempotencyKey: req.idempotencyKey,
        subscriptionId: sub.id,
        action: req.action,
        fromQuantity: sub.quantity,
        toQuantity: to,
        waiveProrate: req.waiveProrate,
        memberId: ctx.actor.memberId,
        memberName: ctx.actor.memberName,
      });
  const sent = await store.markSent(change.id);
  let after: SeatSubscription;
  try {
    after = await send(ctx, change);
  } catch (err) {
    if (isAppError(err) && err.code === 'upstream_unavailable') {
      await store.markUnknown(change.id, { error: err.message });
      throw pax8OutcomeUnknown(sub.id, landsBy(sent));
    }
    await store.markFailed(change.id, { error: err instanceof Error ? err.message : String(err) });
    throw plainRefusal(err);
  }
  return finish(ctx, change, sub, after);
}

function sameRequest(row: SeatChange, req: SeatRequest): boolean {
  return (
    row.subscriptionId === req.subscriptionId &&
    row.action === req.action &&
    row.waiveProrate === req.waiveProrate &&
    (req.action === 'cancel' || row.toQuantity === req.quantity)
  );
}

/** A usage product (Azure): the binding's own flag, or Pax8's figures (no price, no cost outside a trial). */
async function refuseUsage(ctx: SeatContext, sub: SeatSubscription): Promise<void> {
  const flagged = (await ctx.store.usageBinding?.(sub.productId, sub.billingTerm)) ?? false;
  const heuristic = isArrears({
    billingTerm: sub.billingTerm,
    price: sub.price ?? Number.NaN,
    partnerCost: sub.partnerCost ?? Number.NaN,
    status: sub.status,
  });
  if (flagged || heuristic) throw usageRefusal(sub.productName, sub.id);
}

function refuseByRules(ctx: SeatContext, req: SeatRequest, sub: SeatSubscription, to: number): void {
  if (sub.status === 'Cancelled' || sub.status === 'PendingCancel')
    throw refused('This subscription is already cancelled in Pax8: its seats cannot be changed.');
  if (req.action === 'quantity' && to === sub.quantity)
    throw new AppError('bad_request', `The subscription already has ${to} seats: nothing to change`);
  if (req.action === 'quantity' && to < 1)
    throw refused(
      'A subscription keeps at least 1 seat. To remove every seat, cancel the subscription instead.',
    );
  const decrease = req.action === 'cancel' || to < sub.quantity;
  if (!decrease) return;
  const now = ctx.now().toISOString();
  const term = termOfSubscription(sub, now);
  const refusal = windowRefusal(req.action === 'cancel' ? 'cancel' : 'decrease', sub.productName, term, now);
  if (refusal) throw refusal;
}

async function send(ctx: SeatContext, change: SeatChange): Promise<SeatSubscription> {
  if (change.action === 'quantity')
    return ctx.pax8.update(change.subscriptionId, { quantity: change.toQuantity });
  await ctx.pax8.cancel(change.subscriptionId, ctx.now().toISOString());
  return ctx.pax8.get(change.subscriptionId);
}

/**
 * A row sent with no answer: Pax8 shows the change (done), or the window in which it could still land is open
 * (refuse, try later), or it is over and Pax8 does not show it (null: send again).
 */
async function settle(ctx: SeatContext, row: SeatChange, sub: SeatSubscription): Promise<SeatResult | null> {
  const took =
    row.action === 'cancel'
      ? sub.status === 'Cancelled' || sub.status === 'PendingCancel'
      : sub.quantity === row.toQuantity;
  if (took) return finish(ctx, row, sub, sub);
  const until = landsBy(row);
  if (ctx.now().getTime() < until.getTime()) throw pax8OutcomeUnknown(sub.id, until);
  return null;
}

const landsBy = (row: SeatChange) =>
  new Date(Date.parse(row.sentAt ?? row.updatedAt) + PAX8_OUTCOME_WINDOW_MS);

async function finish(
  ctx: SeatContext,
  row: SeatChange,
  before: SeatSubscription,
  after: SeatSubscription,
): Promise<SeatResult> {
  const changeKey = row.action === 'quantity' ? await changeKeyOf(ctx.pax8, row) : null;
  const done = await ctx.store.markDone(row.id, changeKey, {
    quantity: after.quantity,
    status: after.status,
  });
  await ctx.store.audit({
    actor: ctx.actor.memberId,
    action: `subscription.${row.action}`,
    target: `subscription:${row.subscriptionId}`,
    before: { quantity: row.fromQuantity, status: before.status },
    after: {
      quantity: after.quantity,
      status: after.status,
      waiveProrate: row.waiveProrate,
      // The route takes no change without it (acceptTerms: true): the audit says the member accepted them.
      acceptedTerms: true,
      key: row.idempotencyKey,
      changeKey,
      memberName: ctx.actor.memberName,
    },
  });
  return resultOf(done, after, false);
}

/** The history change this change made: the newest change to its quantity (toHistory's keys, as the planner's). */
async function changeKeyOf(pax8: SeatPax8, row: SeatChange): Promise<string | null> {
  const history = toHistory(await pax8.history(row.subscriptionId));
  const keys = changeKeys(history);
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]?.quantity === row.toQuantity) return keys[i] ?? null;
  }
  return null;
}

function resultOf(row: SeatChange, sub: SeatSubscription, replayed: boolean): SeatResult {
  return {
    changeId: row.id,
    subscriptionId: row.subscriptionId,
    action: row.action,
    fromQuantity: row.fromQuantity,
    toQuantity: row.toQuantity,
    waiveProrate: row.waiveProrate,
    changeKey: row.changeKey,
    replayed,
    subscription: {
      quantity: sub.quantity,
      status: sub.status,
      productName: sub.productName,
      billingTerm: sub.billingTerm,
    },
  };
}

/** 409 write_outcome_unknown for Pax8: the words the pod shows, and when to try again. */
function pax8OutcomeUnknown(subscriptionId: string, retryAfter: Date): AppError {
  return new AppError(
    'write_outcome_unknown',
    `Pax8 did not answer in time; we are checking whether the seats were changed — try again after ${retryAfter.toISOString().slice(11, 16)} UTC`,
    { details: { subscriptionId, retryAfter: retryAfter.toISOString() } },
  );
}

/** The term as the pod's rows and the plan read it (billing/terms.ts), from Pax8's subscription. */
export function termOfSubscription(sub: SeatSubscription, nowIso: string): Term {
  return termOf(
    {
      billingTerm: sub.billingTerm,
      startDate: sub.startDate.slice(0, 10),
      commitment: sub.commitmentTerm
        ? { term: sub.commitmentTerm.term, endDate: sub.commitmentTerm.endDate?.slice(0, 10) ?? null }
        : null,
      createdDate: sub.createdDate ?? null,
    },
    nowIso.slice(0, 10),
  );
}

export type SeatInfo = {
  subscriptionId: string;
  productName: string;
  quantity: number;
  status: string;
  /** "Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00". */
  term: string;
  /** The NCE window for decreases and cancellation, or null without a commitment (any day). */
  window: { closesAt: string; open: boolean; renewsOn: string | null } | null;
};

/** What the seat form shows before anything is sent: the term and whether seats may go down now. */
export async function seatInfo(
  ctx: Pick<SeatContext, 'pax8' | 'store' | 'now'>,
  id: string,
): Promise<SeatInfo> {
  const sub = await ctx.pax8.get(id);
  if (!(await ctx.store.isBound(sub.companyId)))
    throw new AppError('forbidden', 'This subscription belongs to a Pax8 company that is not bound');
  const now = ctx.now().toISOString();
  const term = termOfSubscription(sub, now);
  return {
    subscriptionId: sub.id,
    productName: sub.productName,
    quantity: sub.quantity,
    status: sub.status,
    term: termLabel(term, now),
    window:
      term.commitmentMonths === null || term.windowClosesAt === null
        ? null
        : { closesAt: term.windowClosesAt, open: windowOpen(term, now), renewsOn: term.renewsOn },
  };
}
