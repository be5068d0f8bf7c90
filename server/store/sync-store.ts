// The store repositories seen through sync's SyncStore port, scoped to one tenant.
import { AppError } from '../errors.ts';
import type { JournalRow, SyncStore } from '../sync/ports.ts';
import type { Repositories } from './index.ts';
import type { JournalAction, JournalEntry, JournalKind } from './journal.ts';

function toRow(e: JournalEntry): JournalRow {
  return {
    id: e.id,
    idempotencyKey: e.idempotencyKey,
    planId: e.planId,
    subscriptionId: e.subscriptionId,
    agreementId: e.agreementId,
    kind: e.kind,
    action: e.action,
    request: e.request,
    changeKey: e.changeKey,
    state: e.state,
    cwAdditionId: e.cwAdditionId,
    updatedAt: e.updatedAt,
    sentAt: e.sentAt,
    response: e.response,
  };
}

export function syncStoreFor(repos: Repositories, tenantId: string, now: () => Date): SyncStore {
  return {
    async companyBindingByCw(cwCompanyId) {
      const b = await repos.companyBindings.byCw(tenantId, cwCompanyId);
      return b ? { cwCompanyId: b.cwCompanyId, pax8CompanyId: b.pax8CompanyId } : null;
    },
    async boundPax8CompanyIds() {
      return (await repos.companyBindings.list(tenantId)).map((b) => b.pax8CompanyId);
    },
    async productBinding(pax8ProductId, billingTerm) {
      return repos.productBindings.get(tenantId, pax8ProductId, billingTerm);
    },
    async productBindings() {
      return repos.productBindings.list(tenantId);
    },
    async savePlan(plan) {
      await repos.plans.save(tenantId, {
        id: plan.id,
        memberId: plan.memberId,
        subscriptionId: plan.subscriptionId,
        agreementId: plan.agreementId,
        body: plan.body,
        ttlMs: Date.parse(plan.expiresAt) - Date.parse(plan.createdAt),
      });
    },
    async getPlan(id) {
      const found = await repos.plans.get(tenantId, id);
      if (found.ok) return found.plan;
      if (found.reason === 'expired') {
        throw new AppError('plan_expired', 'This plan has expired: plan again to see the current figures', {
          details: { planId: id },
        });
      }
      return null;
    },
    async claim(entry) {
      const { entry: row, created } = await repos.journal.claim(tenantId, {
        planId: entry.planId,
        idempotencyKey: entry.idempotencyKey,
        subscriptionId: entry.subscriptionId,
        agreementId: entry.agreementId,
        kind: entry.kind as JournalKind,
        action: entry.action as JournalAction,
        request: entry.request,
        changeKey: entry.changeKey,
      });
      return { row: toRow(row), created };
    },
    async recordIgnored(entry) {
      const { entry: row, created } = await repos.journal.claim(tenantId, {
        planId: entry.planId,
        idempotencyKey: entry.idempotencyKey,
        subscriptionId: entry.subscriptionId,
        agreementId: entry.agreementId,
        kind: entry.kind as JournalKind,
        action: entry.action as JournalAction,
        request: entry.request,
        changeKey: null,
      });
      if (created) await repos.journal.markIgnored(tenantId, row.id);
    },
    async markSent(id, request) {
      await repos.journal.markSent(tenantId, id, request);
    },
    async markDone(id, cwAdditionId, response) {
      await repos.journal.markDone(tenantId, id, { cwAdditionId, response });
    },
    async markUndone(id) {
      await repos.journal.markUndone(tenantId, id);
    },
    async markFailed(id, error) {
      await repos.journal.markFailed(tenantId, id, { error });
    },
    async markUnknown(id, error) {
      await repos.journal.markUnknown(tenantId, id, { error });
    },
    async reopen(id, planId, request) {
      return toRow(await repos.journal.reopen(tenantId, id, { planId, request }));
    },
    async journalForSubscriptions(subscriptionIds) {
      // One IN-list query (per 500 ids), not one per subscription: a view lists every subscription of a company.
      const bySubscription = await repos.journal.forSubscriptions(tenantId, subscriptionIds);
      return [...bySubscription.values()].flat().map(toRow);
    },
    syncedChangeKeys: (subscriptionId, agreementId) =>
      repos.journal.syncedChangeKeys(tenantId, subscriptionId, agreementId),
    waivedChangeKeys: (subscriptionId) => repos.seatChanges.waivedChangeKeys(tenantId, subscriptionId),
    priceOverrides: () => repos.priceOverrides.forTenant(tenantId),
    async priceOverride(subscriptionId) {
      const found = await repos.priceOverrides.get(tenantId, subscriptionId);
      return found ? { unitPrice: found.unitPrice, pax8Price: found.pax8Price } : null;
    },
    async rememberPrice(subscriptionId, choice, memberId) {
      if (choice === null) await repos.priceOverrides.remove(tenantId, subscriptionId);
      else await repos.priceOverrides.set(tenantId, { subscriptionId, ...choice, chosenBy: memberId });
    },
    acquireLock: (key, owner, ttlMs) => repos.locks.acquire(tenantId, key, owner, ttlMs, now()),
    async releaseLock(key, owner) {
      await repos.locks.release(tenantId, key, owner);
    },
    async audit(entry) {
      await repos.audit.append(tenantId, entry);
    },
  };
}
