// Sandbox mode: the emulated ConnectWise and Pax8 APIs, their credentials, and the host page that
// plays the ConnectWise window, mounted under /sandbox. Only main.ts/runtime.ts and tests wire this in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import { createCwEmulator, demoCwCredentials } from './cw/index.ts';
import { createPax8Emulator, demoPax8Credentials } from './pax8/index.ts';

export type Sandbox = ReturnType<typeof createSandbox>;

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

export function createSandbox(opts: { now: () => Date; distDir: string }) {
  const cw = createCwEmulator({ now: opts.now });
  const pax8 = createPax8Emulator({ now: opts.now });
  const app = new Hono();
  app.route('/cw', cw.app);
  app.route('/pax8', pax8.app);
  app.get('/credentials', (c) => c.json(sandboxCredentials(new URL(c.req.url).origin)));
  app.get('/host', (c) => {
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
    return c.html(readFileSync(file, 'utf8'));
  });
  return { app, cw, pax8 };
}
