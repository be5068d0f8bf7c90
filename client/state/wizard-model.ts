// The sync wizard: PRODUCT (when not bound) → AGREEMENT (configure the addition, prorates, extra months) →
// REVIEW → applied. Every options change re-plans on the server; Confirm applies the plan once.
import { batch, computed, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import { type Api, ApiError } from './api.ts';
import { applyFailureMessage } from './apply-outcome.ts';
import { createHistoryModel } from './history-model.ts';
import {
  type ApplyResult,
  ApplyResultSchema,
  type ExtraMonths,
  type Plan,
  type PlanOptions,
  PlanSchema,
  type ProrateEdit,
} from './plan-schemas.ts';
import type { Agreement, ViewRow } from './pod-schemas.ts';
import { createProductModel, type ProductModel } from './product-model.ts';
import { createFieldState } from './wizard-fields.ts';

export type WizardStep = 'product' | 'agreement' | 'review' | 'done';
export type StepMark = { id: string; label: string; detail: string; state: 'done' | 'current' | 'todo' };
export type PlanState =
  | { status: 'idle' }
  | { status: 'planning' }
  | { status: 'ready' }
  | { status: 'error'; message: string };
export type ApplyState =
  | { status: 'idle' }
  | { status: 'applying' }
  | { status: 'done'; result: ApplyResult }
  | { status: 'error'; message: string; conflict?: boolean };

export type WizardDeps = {
  api: Api;
  /** Asks ConnectWise to reload its screen (the bridge's refreshScreen). */
  refreshScreen?: () => Promise<void>;
  /** Called after a successful apply or binding, to reload the record view. */
  onChanged?: () => void | Promise<void>;
  /** Opens an agreement's screen in ConnectWise (the bridge's openScreen), where its additions are. */
  openAgreement?: (agreementId: number) => void;
};

export type OpenArgs = { row: ViewRow; agreements: Agreement[]; companyName: string };

export type WizardModel = ReturnType<typeof createWizardModel>;

export function createWizardModel({ api, refreshScreen, onChanged, openAgreement }: WizardDeps) {
  const open = signal<OpenArgs | undefined>(undefined);
  const step = signal<WizardStep>('agreement');
  const productBound = signal(false);
  const product = signal<ProductModel | undefined>(undefined);
  const agreementId = signal<number | undefined>(undefined);
  const options = signal<PlanOptions>({});
  const plan = signal<Plan | undefined>(undefined);
  const planState = signal<PlanState>({ status: 'idle' });
  const ignored = signal<string[]>([]);
  const apply = signal<ApplyState>({ status: 'idle' });
  const historyModel = createHistoryModel(api);
  const history = historyModel.state;
  const fields = createFieldState((patch) => setOptions(patch));
  let planSeq = 0;
  let planning: Promise<void> = Promise.resolve();
  let applying: Promise<void> | undefined;

  /** Waits for the newest plan, however many re-plans started meanwhile. */
  const settled = async () => {
    let seen: Promise<void>;
    do {
      seen = planning;
      await seen;
    } while (seen !== planning);
  };

  /** Loads the subscription's change history once (when first shown, or for synced prorates). */
  const loadHistory = () => historyModel.load();

  const steps = computed((): StepMark[] => {
    const args = open.value;
    const order: WizardStep[] = ['product', 'agreement', 'review', 'done'];
    const at = order.indexOf(step.value);
    const mark = (s: WizardStep): StepMark['state'] => {
      const i = order.indexOf(s);
      return i < at ? 'done' : i === at ? 'current' : 'todo';
    };
    const items = plan.value?.review.filter((r) => r.action !== 'none').length ?? 0;
    const agreementName = args?.agreements.find((a) => a.id === agreementId.value)?.name ?? '';
    return [
      { id: 'connection', label: 'Connection', detail: 'ConnectWise', state: 'done' },
      { id: 'company', label: 'Company', detail: args?.companyName ?? '', state: 'done' },
      {
        id: 'product',
        label: 'Product',
        detail: args?.row.productBinding?.identifier ?? (productBound.value ? 'Bound' : ''),
        state: productBound.value && step.value === 'product' ? 'done' : mark('product'),
      },
      { id: 'agreement', label: 'Agreement', detail: agreementName, state: mark('agreement') },
      {
        id: 'review',
        label: 'Review',
        detail: `${items} Item(s)`,
        state: step.value === 'done' ? 'done' : mark('review'),
      },
    ];
  });

  const request = () => {
    const args = open.peek();
    const id = agreementId.peek();
    if (!args || id === undefined) return undefined;
    const opts = options.peek();
    return {
      subscriptionId: args.row.subscription.id,
      agreementId: id,
      ...(Object.keys(opts).length ? { options: opts } : {}),
    };
  };

  const replan = (): Promise<void> => {
    planning = planOnce();
    return planning;
  };

  const planOnce = async () => {
    const body = request();
    if (!body) return;
    const mine = ++planSeq;
    planState.value = { status: 'planning' };
    try {
      const next = await api.post('/api/sync/plan', body, PlanSchema);
      if (mine !== planSeq) return;
      batch(() => {
        plan.value = next;
        planState.value = { status: 'ready' };
        // Synced prorates show the addition they were written as, which the history's journal knows.
        if (next.prorates.some((p) => p.synced)) void loadHistory();
        // An ignored line that no longer exists in the new plan is forgotten.
        ignored.value = ignored.peek().filter((k) => next.review.some((r) => r.key === k));
      });
    } catch (err) {
      if (mine !== planSeq) return;
      planState.value = { status: 'error', message: messageOf(err, 'The sync could not be planned') };
    }
  };

  const setOptions = (patch: Partial<PlanOptions>) => {
    const next: PlanOptions = { ...options.peek(), ...patch };
    for (const key of Object.keys(next) as (keyof PlanOptions)[]) {
      if (next[key] === undefined) delete next[key];
    }
    options.value = next;
    return replan();
  };

  const prorateOptions = () => options.peek().prorates ?? {};

  const withProrates = (exclude: string[], edit: Record<string, ProrateEdit>) => {
    const prorates: NonNullable<PlanOptions['prorates']> = {};
    if (exclude.length) prorates.exclude = exclude;
    if (Object.keys(edit).length) prorates.edit = edit;
    return setOptions({ prorates: Object.keys(prorates).length ? prorates : undefined } as PlanOptions);
  };

  const start = ({ row, agreements, companyName }: OpenArgs) => {
    planSeq++;
    applying = undefined;
    batch(() => {
      open.value = { row, agreements, companyName };
      productBound.value = row.productBinding !== null;
      agreementId.value = row.agreementId ?? agreements[0]?.id;
      options.value = {};
      plan.value = undefined;
      planState.value = { status: 'idle' };
      ignored.value = [];
      fields.clear();
      apply.value = { status: 'idle' };
      historyModel.reset(row.subscription.id);
      product.value = row.productBinding
        ? undefined
        : createProductModel({
            api,
            product: {
              pax8ProductId: row.subscription.productId,
              productName: row.subscription.productName,
              billingTerm: row.subscription.billingTerm,
              // Reference §1.6: no price and no cost is how Pax8 shows a usage product (Azure).
              looksLikeUsage:
                Number(row.subscription.price) === 0 &&
                Number(row.subscription.partnerCost) === 0 &&
                row.subscription.status !== 'Trial',
            },
          });
      step.value = row.productBinding ? 'agreement' : 'product';
    });
    if (step.peek() === 'agreement') return replan();
    return Promise.resolve();
  };

  return {
    open,
    step,
    steps,
    product,
    agreementId,
    options,
    plan,
    planState,
    ignored,
    invalid: fields.invalid,
    drafts: fields.drafts,
    apply,
    history,
    start,
    setInvalid: fields.setInvalid,
    editField: fields.editField,
    loadHistory,
    openAgreement,
    /** The CW addition a synced prorate was written as (from the journal), when known. */
    syncedAddition: historyModel.syncedAddition,
    close() {
      planSeq++;
      historyModel.reset(undefined);
      open.value = undefined;
    },
    /** After the product step binds or exports: on to the agreement, planning at once. */
    async productDone() {
      productBound.value = true;
      step.value = 'agreement';
      await Promise.all([replan(), onChanged?.()]);
    },
    setAgreement(id: number) {
      batch(() => {
        agreementId.value = id;
        options.value = {};
        fields.clear();
      });
      return replan();
    },
    replan,
    setOptions,
    setExcluded(changeKey: string, excluded: boolean) {
      const { exclude = [], edit = {} } = prorateOptions();
      const rest = exclude.filter((k) => k !== changeKey);
      return withProrates(excluded ? [...rest, changeKey] : rest, edit);
    },
    /** Select all (include every unsynced prorate) or unselect all (exclude them). */
    selectAllProrates(selected: boolean) {
      const { edit = {} } = prorateOptions();
      const unsynced = (plan.peek()?.prorates ?? []).filter((p) => !p.synced).map((p) => p.changeKey);
      return withProrates(selected ? [] : unsynced, edit);
    },
    editProrate(changeKey: string, change: ProrateEdit | undefined) {
      const { exclude = [], edit = {} } = prorateOptions();
      const next = { ...edit };
      if (change && Object.keys(change).length) next[changeKey] = change;
      else delete next[changeKey];
      return withProrates(exclude, next);
    },
    setThreshold(on: boolean) {
      return setOptions({ threshold: on });
    },
    setExtraMonths(extra: ExtraMonths | undefined) {
      return setOptions({ extraMonths: extra } as PlanOptions);
    },
    /**
     * Continue: at once when the plan is ready; while an edit's re-plan runs (the click that blurred the
     * field started it) after that plan arrives, so one click is enough. Never with a field in error.
     */
    toReview(): Promise<boolean> {
      const go = () => {
        const ok =
          step.peek() === 'agreement' &&
          Object.keys(fields.invalid.peek()).length === 0 &&
          planState.peek().status === 'ready' &&
          plan.peek() !== undefined;
        if (ok) step.value = 'review';
        return ok;
      };
      if (planState.peek().status !== 'planning') return Promise.resolve(go());
      return settled().then(go);
    },
    /** Back to configure always plans again: ConnectWise may have changed meanwhile (e.g. a 409 hand edit). */
    back(): Promise<void> {
      const s = step.peek();
      if (s === 'review') {
        batch(() => {
          step.value = 'agreement';
          if (apply.peek().status === 'error') apply.value = { status: 'idle' };
        });
        return replan();
      }
      if (s === 'agreement' && product.peek()) step.value = 'product';
      return Promise.resolve();
    },
    /** After a conflict: a fresh plan from what ConnectWise holds now, to review and confirm again. */
    planAgain(): Promise<void> {
      apply.value = { status: 'idle' };
      return replan();
    },
    toggleIgnore(key: string) {
      const now = ignored.peek();
      ignored.value = now.includes(key) ? now.filter((k) => k !== key) : [...now, key];
    },
    /** Applies the plan once: a second call while applying (a double click) joins the first. */
    confirm(): Promise<void> {
      const current = plan.peek();
      if (!current) return Promise.resolve();
      if (applying) return applying;
      if (apply.peek().status === 'done') return Promise.resolve();
      apply.value = { status: 'applying' };
      applying = (async () => {
        try {
          const result = await api.post(
            '/api/sync/apply',
            { planId: current.planId, ...(ignored.peek().length ? { ignore: ignored.peek() } : {}) },
            ApplyResultSchema,
          );
          batch(() => {
            apply.value = { status: 'done', result };
            step.value = 'done';
          });
          // What was written changes which lines cover each history change: a shown history loads again.
          await Promise.allSettled([refreshScreen?.(), onChanged?.(), historyModel.reload()]);
        } catch (err) {
          applying = undefined;
          const expired = err instanceof ApiError && err.code === 'plan_expired';
          if (err instanceof ApiError && err.code === 'agreement_changed') {
            apply.value = { status: 'error', message: err.message, conflict: true };
            return;
          }
          apply.value = {
            status: 'error',
            message: expired
              ? 'The plan expired. It was made again: check the review and confirm.'
              : applyFailureMessage(err, 'The sync could not be applied'),
          };
          if (expired) await replan();
        }
      })();
      return applying;
    },
  };
}
