// Sandbox mode: the emulated ConnectWise and Pax8 APIs, their credentials, the sandbox clock, and the host page
// that plays the ConnectWise window, mounted under /sandbox. Only main.ts/runtime.ts and tests wire this in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { withInlineJson } from '../http/inline-json.ts';
import { createSandboxClock, isCalendarDay, SANDBOX_LAST_DAY, type SandboxClock } from './clock.ts';
import { createCwEmulator, demoCwCredentials } from './cw/index.ts';
import { createPax8Emulator, demoPax8Credentials } from './pax8/index.ts';

export type Sandbox = ReturnType<typeof createSandbox>;
/** The element id of the host page's inline credentials (client/sandbox-host/main.tsx reads it). */
export const SANDBOX_CREDENTIALS_ELEMENT_ID = 'sandbox-credentials';
/** The element id of the host page's first screen data (its first reads and the sandbox date). */
export const SANDBOX_FIRST_SCREEN_ELEMENT_ID = 'sandbox-first-screen';

/**
 * The host page's first reads of the emulated ConnectWise, as client/sandbox-host/cw-rest.ts asks them (paths
 * under the REST base URL; a test holds the two lists together).
 */
export function hostFirstReads(memberId: string): string[] {
  const member = `identifier="${memberId.replace(/"/g, '\\"')}"`;
  return [
    'finance/agreements?pageSize=1000&orderBy=id',
    'company/companies?pageSize=1000&orderBy=name',
    'system/connectwisehostedsetups?pageSize=1000',
    'system/reports/ConnectWiseHostedApiScreen',
    'system/menuentries?pageSize=1000',
    `system/members?conditions=${encodeURIComponent(member)}`,
  ];
}
export { createSandboxClock, type SandboxClock } from './clock.ts';

export function sandboxCredentials(origin: string) {
  return {
    connectwise: {
      siteUrl: origin,
      apiBaseUrl: `${origin}/sandbox/cw/v4_6_release/apis/3.0`,
      companyId: demoCwCredentials.companyId,
      publicKey: demoCwCredentials.publicKey,
      privateKey: demoCwCredentials.privateKey,
      clientId: demoCwCredentials.clientId,
      member: { id: demoCwCredentials.member.id, hash: demoCwCredentials.member.hash },
    },
    pax8: {
      apiBaseUrl: `${origin}/sandbox/pax8/v1`,
      clientId: demoPax8Credentials.clientId,
      clientSecret: demoPax8Credentials.clientSecret,
    },
  };
}

const ClockBody = v.object({
  today: v.pipe(v.string(), v.check(isCalendarDay, 'today must be a date written YYYY-MM-DD')),
});

export function createSandbox(opts: {
  clock?: SandboxClock;
  distDir: string;
  /** The sandbox tenant's key for this origin (runtime wires it), so the host page can frame an unregistered pod. */
  tenantKeyOf?: (origin: string) => Promise<string | undefined>;
}) {
  const clock = opts.clock ?? createSandboxClock();
  const cw = createCwEmulator({ now: clock.now });
  const pax8 = createPax8Emulator({ now: clock.now });
  // ConnectWise bills agreements as days pass: before anything reads the emulated CW, invoice what is due.
  const catchUp = () => cw.invoicing.runThrough(clock.today());
  const app = new Hono();
  app.use('/cw/*', async (_c, next) => {
    catchUp();
    await next();
  });
  app.route('/cw', cw.app);
  app.route('/pax8', pax8.app);
  const credentialsFor = async (origin: string) => {
    const tenantKey = await opts.tenantKeyOf?.(origin);
    return { ...sandboxCredentials(origin), ...(tenantKey ? { tenantKey } : {}) };
  };
  app.get('/credentials', async (c) => c.json(await credentialsFor(new URL(c.req.url).origin)));
  app.get('/clock', (c) => {
    catchUp();
    return c.json({ today: clock.today() });
  });
  app.post('/clock', async (c) => {
    const parsed = v.safeParse(ClockBody, await c.req.json().catch(() => undefined));
    const badRequest = (message: string) => c.json({ error: { code: 'bad_request', message } }, 400);
    if (!parsed.success) {
      return badRequest(`Body must be {"today":"YYYY-MM-DD"}: ${parsed.issues[0].message}`);
    }
    const { today } = parsed.output;
    // Moving runs every invoice up to the new date, in memory: a bound keeps one request from taking minutes.
    if (today > SANDBOX_LAST_DAY) {
      return badRequest(
        `The sandbox clock goes up to ${SANDBOX_LAST_DAY}, the last date the pod's fields take`,
      );
    }
    catchUp();
    if (today < clock.today()) {
      return badRequest(
        `The sandbox clock only moves forward (today is ${clock.today()}): invoices cannot be un-run`,
      );
    }
    if (today !== clock.today()) clock.setToday(today);
    const invoices = catchUp();
    return c.json({ today: clock.today(), invoices });
  });
  app.get('/host', async (c) => {
    // One canonical host origin (127.0.0.1) so the sandbox tenant has one site; the pod is framed from localhost,
    // a different origin, as ConnectWise frames a pod from another site.
    const url = new URL(c.req.url);
    if (url.hostname === 'localhost') {
      url.hostname = '127.0.0.1';
      return c.redirect(url.toString(), 302);
    }
    const file = join(opts.distDir, 'sandbox-host/index.html');
    if (!existsSync(file))
      throw new AppError('not_found', 'The sandbox host page is not built: run npm run build');
    c.header('Cache-Control', 'no-cache');
    // The page carries what GET /sandbox/credentials answers, so it reads the emulated ConnectWise (and frames
    // the pod) without waiting for that round trip first.
    const credentials = await credentialsFor(url.origin);
    // ConnectWise renders a screen with its pods in it: the screen's first reads (and the sandbox date) come
    // with the page, answered by the emulator in-process, so the pods are framed as soon as its script runs.
    const cwAuth = credentials.connectwise;
    const headers = {
      authorization: `Basic ${btoa(`${cwAuth.companyId}+${cwAuth.publicKey}:${cwAuth.privateKey}`)}`,
      clientId: cwAuth.clientId,
      accept: 'application/json',
    };
    catchUp();
    const reads: Record<string, unknown> = {};
    for (const path of hostFirstReads(cwAuth.member.id)) {
      const res = await cw.app.request(`/v4_6_release/apis/3.0/${path}`, { headers });
      if (res.ok) reads[path] = await res.json();
    }
    const html = withInlineJson(readFileSync(file, 'utf8'), SANDBOX_FIRST_SCREEN_ELEMENT_ID, {
      reads,
      today: clock.today(),
    });
    return c.html(withInlineJson(html, SANDBOX_CREDENTIALS_ELEMENT_ID, credentials));
  });
  return { app, cw, pax8, clock };
}
