// Applies a registration plan against a ConnectWise instance: reads what exists, plans, and (unless
// dry-run) creates, updates or removes. Idempotent: a second run finds everything unchanged.
import type { Manifest } from '../../manifest/hosted-setups.ts';
import type {
  ExistingMenuEntry,
  ExistingSetup,
  HostedScreen,
  MenuEntryBody,
  RegistrationStep,
  SetupBody,
} from './plan.ts';
import { planRegistration, planRemoval } from './plan.ts';

/** The slice of the ConnectWise client registration needs. */
export type RegistrationClient = {
  hostedSetups: {
    all(): Promise<ExistingSetup[]>;
    create(body: SetupBody): Promise<{ id: number }>;
    update(id: number, body: SetupBody): Promise<unknown>;
    delete(id: number): Promise<unknown>;
  };
  menuEntries: {
    all(): Promise<ExistingMenuEntry[]>;
    create(body: MenuEntryBody): Promise<{ id: number }>;
    update(id: number, body: MenuEntryBody): Promise<unknown>;
    delete(id: number): Promise<unknown>;
  };
  hostedScreens(): Promise<HostedScreen[]>;
};

export type ReportRow = {
  kind: 'setup' | 'menu';
  action: RegistrationStep['action'];
  /** e.g. "Pod 'Pax8' on CompanyDetail" or "Menu 'Pax8' in Companies". */
  label: string;
  id?: number;
  /** False on a dry run, and for rows that need no call (unchanged, missing-screen). */
  applied: boolean;
};

export type RegistrationReport = {
  publicUrl: string;
  dryRun: boolean;
  remove: boolean;
  rows: ReportRow[];
  counts: Record<RegistrationStep['action'], number>;
};

export type RegisterOptions = {
  cw: RegistrationClient;
  manifest: Manifest;
  publicUrl: string;
  dryRun?: boolean;
  remove?: boolean;
};

function labelOf(step: RegistrationStep): string {
  if (step.kind === 'setup') {
    if (step.action === 'remove') {
      return `${step.existing.type} '${step.existing.description}' (screen ${step.existing.screenId})`;
    }
    return `${step.spec.type} '${step.spec.description}' on ${step.spec.screen}`;
  }
  if (step.action === 'remove') return `Menu '${step.existing.caption}' in ${step.existing.menuLocation}`;
  return `Menu '${step.spec.caption}' in ${step.spec.menuLocation}`;
}

async function apply(cw: RegistrationClient, step: RegistrationStep): Promise<number | undefined> {
  if (step.kind === 'setup') {
    switch (step.action) {
      case 'create':
        return (await cw.hostedSetups.create(step.body)).id;
      case 'update':
        await cw.hostedSetups.update(step.id, step.body);
        return step.id;
      case 'remove':
        await cw.hostedSetups.delete(step.id);
        return step.id;
      default:
        return 'id' in step ? step.id : undefined;
    }
  }
  switch (step.action) {
    case 'create':
      return (await cw.menuEntries.create(step.body)).id;
    case 'update':
      await cw.menuEntries.update(step.id, step.body);
      return step.id;
    case 'remove':
      await cw.menuEntries.delete(step.id);
      return step.id;
    default:
      return step.id;
  }
}

const needsCall = (step: RegistrationStep) =>
  step.action === 'create' || step.action === 'update' || step.action === 'remove';

export async function register(options: RegisterOptions): Promise<RegistrationReport> {
  const { cw, manifest, publicUrl, dryRun = false, remove = false } = options;
  const [setups, menuEntries] = await Promise.all([cw.hostedSetups.all(), cw.menuEntries.all()]);
  const existing = { setups, menuEntries };
  const steps = remove
    ? planRemoval(publicUrl, existing)
    : planRegistration(manifest, publicUrl, existing, await cw.hostedScreens());

  const counts: RegistrationReport['counts'] = {
    create: 0,
    update: 0,
    unchanged: 0,
    'missing-screen': 0,
    remove: 0,
  };
  const rows: ReportRow[] = [];
  // Sequential on purpose: a failure part-way leaves a state the next run plans from, never a duplicate.
  for (const step of steps) {
    counts[step.action] += 1;
    const applied = !dryRun && needsCall(step);
    const id = applied ? await apply(cw, step) : 'id' in step ? step.id : undefined;
    rows.push({
      kind: step.kind,
      action: step.action,
      label: labelOf(step),
      applied,
      ...(id === undefined ? {} : { id }),
    });
  }
  return { publicUrl, dryRun, remove, rows, counts };
}

/** The report as text lines, for the CLI. */
export function formatReport(report: RegistrationReport): string {
  const head = `${report.remove ? 'Removing' : 'Registering'} ${report.publicUrl}${report.dryRun ? ' (dry run)' : ''}`;
  const lines = report.rows.map((r) => {
    const note =
      r.action === 'missing-screen' ? ' — this ConnectWise instance does not offer that screen' : '';
    const id = r.id === undefined ? '' : ` #${r.id}`;
    return `  ${r.action.padEnd(14)} ${r.label}${id}${note}`;
  });
  const summary = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return [head, ...lines, `  → ${summary || 'nothing to do'}`].join('\n');
}
