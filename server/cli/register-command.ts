// `npm run register -- [--dry-run] [--remove] [--tenant <site>]`: registers (or removes) the pods, tabs
// and Companies menu entry in a tenant's ConnectWise with its stored keys, and prints the report.
import { join } from 'node:path';
import { manifestFor } from '../../manifest/hosted-setups.ts';
import { secretBoxOf } from '../app-secret.ts';
import type { Env } from '../env.ts';
import { createGuardedFetch } from '../http/guarded-fetch.ts';
import { registrationClient } from '../registration/cw-adapter.ts';
import { publicUrlFor } from '../registration/public-url.ts';
import { formatReport, type RegistrationReport, register } from '../registration/register.ts';
import { createRepositories, loadOrCreateDevKey, normaliseSite, openStore } from '../store/index.ts';
import { clientsFor } from '../tenant-clients.ts';

export type RegisterArgs = { dryRun: boolean; remove: boolean; tenant?: string; help: boolean };

export const usage = `Usage: npm run register -- [--dry-run] [--remove] [--tenant <site>]
  --dry-run        show what would change, change nothing
  --remove         remove this pod's hosted setups and menu entry (only ours)
  --tenant <site>  the ConnectWise site of the tenant (default: the only tenant)
Reads DATA_DIR / DATABASE_URL, APP_SECRET and PUBLIC_URL from the environment.`;

export function parseArgs(argv: readonly string[]): RegisterArgs {
  const args: RegisterArgs = { dryRun: false, remove: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--remove') args.remove = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--tenant') {
      const site = argv[++i];
      if (!site) throw new Error('--tenant needs a site, e.g. --tenant na.myconnectwise.net');
      args.tenant = site;
    } else throw new Error(`Unknown argument: ${arg}\n${usage}`);
  }
  return args;
}

type CliEnv = Pick<Env, 'DATA_DIR' | 'DATABASE_URL' | 'APP_SECRET' | 'PUBLIC_URL' | 'SANDBOX'> &
  Partial<Pick<Env, 'APP_SECRET_PREVIOUS'>>;

export async function runRegister(
  args: RegisterArgs,
  env: CliEnv,
  fetchFn?: typeof fetch,
): Promise<RegistrationReport> {
  const store = await openStore(
    env.DATABASE_URL ? { postgresUrl: env.DATABASE_URL } : { sqlitePath: join(env.DATA_DIR, 'pod.sqlite') },
  );
  try {
    // Same key rule as the server: APP_SECRET, or in the sandbox the development key kept in DATA_DIR.
    const appSecret =
      env.APP_SECRET ?? (env.SANDBOX ? (await loadOrCreateDevKey(env.DATA_DIR)).key : undefined);
    if (!appSecret) throw new Error('APP_SECRET is required to read the tenant keys');
    // During a rotation the tenant's keys may still be sealed with APP_SECRET_PREVIOUS.
    const repos = createRepositories(store.db, secretBoxOf(appSecret, env.APP_SECRET_PREVIOUS));
    const tenants = await repos.tenants.list();
    const wanted = args.tenant ? normaliseSite(args.tenant) : null;
    const matches = wanted ? tenants.filter((t) => t.cwSite === wanted) : tenants;
    if (matches.length === 0) {
      throw new Error(
        wanted ? `No tenant for site ${wanted}` : 'No tenant is configured yet: open /setup first',
      );
    }
    if (matches.length > 1) {
      throw new Error(`Several tenants; pick one with --tenant: ${matches.map((t) => t.cwSite).join(', ')}`);
    }
    const tenant = matches[0]!;
    const secrets = await repos.tenants.secrets(tenant.id);
    if (!secrets) throw new Error(`Tenant ${tenant.cwSite} has no stored keys`);
    const publicUrl = publicUrlFor(tenant, env.PUBLIC_URL);
    if (!publicUrl)
      throw new Error('PUBLIC_URL is required: the https:// origin ConnectWise will load the pod from');
    // The SSRF guard as in the server; a sandbox tenant's API is this project's own sandbox on loopback.
    const sandboxApi = env.SANDBOX && tenant.cwRegion === 'sandbox' ? tenant.cwApiBaseUrl : null;
    const allowed = sandboxApi ? [new URL(sandboxApi).origin] : [];
    const { cw } = clientsFor(
      tenant,
      secrets,
      fetchFn ?? createGuardedFetch({ allowedOrigins: () => allowed }),
    );
    const report = await register({
      cw: registrationClient(cw),
      manifest: manifestFor(tenant.tenantKey),
      publicUrl,
      dryRun: args.dryRun,
      remove: args.remove,
    });
    if (!args.dryRun) {
      await repos.audit.append(tenant.id, {
        actor: 'cli',
        action: args.remove ? 'registration.removed' : 'registration.applied',
        target: `tenant:${tenant.id}`,
        after: report.counts,
      });
    }
    return report;
  } finally {
    await store.close();
  }
}

export { formatReport };
