// Shared set-up for the CW emulator tests: the emulator mounted at /sandbox/cw with a fixed clock.
import { Hono } from 'hono';
import { createCwEmulator, demoCwCredentials } from '../../server/sandbox/cw/index.ts';

export const fixedNow = new Date('2026-03-10T15:00:00Z');
export const origin = 'http://cw.test';
export const base = `${origin}/sandbox/cw/v4_6_release/apis/3.0`;

export const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${demoCwCredentials.companyId}+${user}:${secret}`).toString('base64')}`;

export const apiHeaders = {
  Authorization: basic(demoCwCredentials.publicKey, demoCwCredentials.privateKey),
  clientId: demoCwCredentials.clientId,
};

export function setup() {
  const emu = createCwEmulator({ now: () => fixedNow });
  const root = new Hono().route('/sandbox/cw', emu.app);
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = apiHeaders,
  ) => {
    const init: RequestInit = { method, headers: { ...headers, 'Content-Type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await root.request(path.startsWith('http') ? path : `${base}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
  };
  return { ...emu, root, call };
}
