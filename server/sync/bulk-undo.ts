// Undo a batch (issue 11 item 4): what reversing a job's writes would write — created additions removed,
// updated fields restored from the before-image apply journaled before sending, cancellations lifted — refused,
// naming the addition, where ConnectWise changed since (compared with the after-image the write got back).
// Each reversal is idempotent: it reads the addition first, and one already reversed is only journaled.
import { AppError } from '../errors.ts';
import { changedFields } from './apply-recover.ts';
import type { AdditionInput, JournalRow, SyncAddition, SyncStore, SyncUpstream } from './ports.ts';

export type UndoAction = 'remove' | 'restore' | 'lift_cancel';

export type UndoLine = {
  id: string;
  journalId: string;
  key: string;
  subscriptionId: string;
  agreementId: number;
  additionId: number;
  action: UndoAction;
  title: string;
  /** The fields put back (restore, lift_cancel): from what the batch wrote to what was there before. */
  fields: { field: string; from: unknown; to: unknown }[];
  /** What the batch's write left (the after-image): ConnectWise must still show it. */
  after: SyncAddition;
  restore: Partial<AdditionInput>;
};

export type UndoPlanBody = { kind: 'undo'; ofJobId: string; lines: UndoLine[] };

/** The fields compared against the after-image and put back from the before-image. */
const FIELDS = [
  'quantity',
  'unitPrice',
  'unitCost',
  'effectiveDate',
  'cancelledDate',
  'invoiceDescription',
  'billCustomer',
  'taxable',
] as const;
type Field = (typeof FIELDS)[number];

const pick = (a: SyncAddition): Record<Field, unknown> =>
  Object.fromEntries(FIELDS.map((f) => [f, a[f]])) as Record<Field, unknown>;

const beforeOf = (row: JournalRow): SyncAddition | null | undefined =>
  (row.request as { before?: SyncAddition | null } | null)?.before;

const afterOf = (row: JournalRow): SyncAddition | null => {
  const r = row.response as SyncAddition | null | undefined;
  return r && typeof r === 'object' && typeof r.id === 'number' ? r : null;
};

export type UndoSource = { subscriptionId: string; agreementId: number; planId: string };

export type UndoRefusal = { additionId: number; agreementId: number; subscriptionId: string; reason: string };

/**
 * The reversal of the writes the given plans made (journal rows still 'done' under those plans: a later plan
 * that took a row over owns it). Throws 409 agreement_changed naming every addition ConnectWise changed since.
 */
export async function planUndo(
  ctx: { store: SyncStore; upstream: SyncUpstream },
  sources: readonly UndoSource[],
  agreementNames: ReadonlyMap<number, string> = new Map(),
): Promise<UndoLine[]> {
  const plans = new Set(sources.map((s) => s.planId));
  const journal = await ctx.store.journalForSubscriptions([...new Set(sources.map((s) => s.subscriptionId))]);
  const rows = journal.filter(
    (r) => plans.has(r.planId) && r.state === 'done' && r.cwAdditionId !== null && r.action !== 'none',
  );
  const byAgreement = new Map<number, Map<number, SyncAddition>>();
  for (const agreementId of new Set(rows.map((r) => r.agreementId))) {
    const additions = await ctx.upstream.listAdditions(agreementId);
    byAgreement.set(agreementId, new Map(additions.map((a) => [a.id, a])));
  }
  const lines: UndoLine[] = [];
  const refused: UndoRefusal[] = [];
  for (const row of rows) {
    const additionId = row.cwAdditionId as number;
    const refuse = (reason: string) =>
      refused.push({ additionId, agreementId: row.agreementId, subscriptionId: row.subscriptionId, reason });
    const after = afterOf(row);
    const current = byAgreement.get(row.agreementId)?.get(additionId);
    if (!after) {
      refuse('what this batch wrote was not kept');
      continue;
    }
    if (!current) {
      refuse('deleted');
      continue;
    }
    const changed = changedFields(pick(after), current);
    if (changed.length > 0) {
      refuse(changed.join(', '));
      continue;
    }
    const where = agreementNames.get(row.agreementId) ?? `agreement ${row.agreementId}`;
    if (row.action === 'create') {
      lines.push({
        ...base(row, additionId, after),
        action: 'remove',
        title: `Remove addition ${additionId} (${after.invoiceDescription}, ${after.quantity} × ${after.unitPrice}) from ${where}`,
        fields: [],
        restore: {},
      });
      continue;
    }
    const before = beforeOf(row);
    if (!before) {
      refuse('its state before this batch was not kept (written before undo existed)');
      continue;
    }
    const restore: Record<string, unknown> = {};
    const fields: UndoLine['fields'] = [];
    for (const f of FIELDS) {
      if (f === 'effectiveDate') continue; // apply never moves a start date (patchOf)
      if (changedFields({ [f]: before[f] }, after).length === 0) continue;
      restore[f] = before[f];
      fields.push({ field: f, from: after[f], to: before[f] });
    }
    if (before.description !== after.description) restore.description = before.description;
    const lift = row.action === 'cancel';
    lines.push({
      ...base(row, additionId, after),
      action: lift ? 'lift_cancel' : 'restore',
      title: lift
        ? `Lift the cancellation of addition ${additionId} (${after.invoiceDescription}) on ${where}`
        : `Restore addition ${additionId} (${after.invoiceDescription}) on ${where}`,
      fields,
      restore: restore as Partial<AdditionInput>,
    });
  }
  if (refused.length > 0) {
    const named = refused
      .map(
        (r) =>
          `addition ${r.additionId} on ${agreementNames.get(r.agreementId) ?? `agreement ${r.agreementId}`} (${r.reason})`,
      )
      .join('; ');
    throw new AppError(
      'agreement_changed',
      `This batch cannot be undone: ConnectWise changed since it was written: ${named}`,
      { details: { refused } },
    );
  }
  return lines;
}

function base(row: JournalRow, additionId: number, after: SyncAddition) {
  return {
    id: `${row.agreementId}:${additionId}:${row.idempotencyKey}`,
    journalId: row.id,
    key: row.idempotencyKey,
    subscriptionId: row.subscriptionId,
    agreementId: row.agreementId,
    additionId,
    after,
  };
}

export type UndoContext = {
  store: SyncStore;
  upstream: SyncUpstream;
  actor: { memberId: string; memberName: string };
  jobId: string;
};

/**
 * Applies one reversal. Already reversed (the journal says undone, or ConnectWise already shows the
 * before-state after a crash between the write and the journal): journaled, nothing sent. Changed since the
 * review: refused, naming the addition. Returns what it did.
 */
export async function applyUndoLine(ctx: UndoContext, line: UndoLine): Promise<'reversed' | 'already'> {
  const { store, upstream } = ctx;
  const row = (await store.journalForSubscriptions([line.subscriptionId])).find(
    (r) => r.id === line.journalId,
  );
  if (!row) throw new AppError('not_found', `The journal entry of addition ${line.additionId} is gone`);
  if (row.state === 'undone') return 'already';
  const current = await upstream.getAddition(line.agreementId, line.additionId);
  const reached =
    line.action === 'remove'
      ? current === null
      : current !== null && changedFields(line.restore as Record<string, unknown>, current).length === 0;
  if (!reached) {
    if (!current) throw changedSince(line, ['deleted']);
    const changed = changedFields(pick(line.after), current);
    if (changed.length > 0) throw changedSince(line, changed);
    if (line.action === 'remove') {
      if (!upstream.deleteAddition) throw new AppError('internal', 'This ConnectWise adapter cannot delete');
      await upstream.deleteAddition(line.agreementId, line.additionId);
    } else {
      await upstream.updateAddition(line.agreementId, line.additionId, line.restore);
    }
  }
  await store.markUndone?.(row.id);
  await store.audit({
    actor: ctx.actor.memberId,
    action: `addition.undo-${line.action}`,
    target: `agreement:${line.agreementId}/addition:${line.additionId}`,
    before: current,
    after: {
      ...(line.action === 'remove' ? { removed: true } : line.restore),
      key: line.key,
      undoJobId: ctx.jobId,
      memberName: ctx.actor.memberName,
    },
  });
  return reached ? 'already' : 'reversed';
}

function changedSince(line: UndoLine, fields: string[]): AppError {
  return new AppError(
    'agreement_changed',
    `Addition ${line.additionId} was changed in ConnectWise since this batch wrote it (${fields.join(', ')}); it is not undone`,
    { details: { additionId: line.additionId, agreementId: line.agreementId, fields } },
  );
}
