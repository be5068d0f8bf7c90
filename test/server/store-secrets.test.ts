// Secrets at rest: the sealed format, key derivation, the sandbox dev key, and what a SQLite file really holds.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRepositories,
  createSecretBox,
  deriveKey,
  loadOrCreateDevKey,
  normaliseSite,
  openStore,
} from '../../server/store/index.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pod-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const key = deriveKey('correct horse battery staple, thirty-two+', 'secrets');

describe('deriveKey', () => {
  // Pinned: changing the derivation would make every stored secret unreadable.
  it.each([
    ['secrets', '39304a7f6ae499b998447b60b21c0eeb14f527ef33e62afd19f65374feacd251'],
    ['sessions', '9d3f0a11f47ec53557666fa1cdf4022c45f5b1e40c86a55f9b161e7e11be4b18'],
  ] as const)('derives the %s key', (purpose, hex) => {
    expect(Buffer.from(deriveKey('correct horse battery staple, thirty-two+', purpose)).toString('hex')).toBe(
      hex,
    );
  });
});

describe('SecretBox', () => {
  const box = createSecretBox(key);

  it('seals to "v1:" text with a fresh IV each time and opens it back', () => {
    const a = box.seal('s3cr3t', 'ctx');
    const b = box.seal('s3cr3t', 'ctx');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(box.open(a, 'ctx')).toBe('s3cr3t');
    expect(box.open(box.seal('', 'ctx'), 'ctx')).toBe('');
    expect(box.open(box.seal('ünïcödé ✓'))).toBe('ünïcödé ✓');
  });

  const sealed = box.seal('s3cr3t', 'tenant:1:cwPrivateKey');
  const body = sealed.slice(3);
  const flip = (text: string, i: number) =>
    text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
  it.each([
    ['a flipped IV character', `v1:${flip(body, 2)}`, 'tenant:1:cwPrivateKey'],
    ['a flipped tag character', `v1:${flip(body, 20)}`, 'tenant:1:cwPrivateKey'],
    ['a flipped ciphertext character', `v1:${flip(body, body.length - 2)}`, 'tenant:1:cwPrivateKey'],
    ['a truncated text', sealed.slice(0, 20), 'tenant:1:cwPrivateKey'],
    ['an unknown version', `v2:${body}`, 'tenant:1:cwPrivateKey'],
    ['another context', sealed, 'tenant:2:cwPrivateKey'],
  ])('refuses %s', (_, text, context) => {
    expect(() => box.open(text, context)).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it('refuses a text sealed under another key', () => {
    const other = createSecretBox(deriveKey('another secret of at least 32 characters', 'secrets'));
    expect(() => other.open(sealed, 'tenant:1:cwPrivateKey')).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
  });

  it('takes a key as 32 bytes or as their base64url text, and nothing shorter', () => {
    const text = Buffer.from(key).toString('base64url');
    expect(createSecretBox(text).open(sealed, 'tenant:1:cwPrivateKey')).toBe('s3cr3t');
    expect(() => createSecretBox('too short')).toThrow(/32 bytes/);
    expect(() => createSecretBox(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});

describe('loadOrCreateDevKey', () => {
  it('creates a 0600 key file once and reads the same key afterwards', async () => {
    const dir = join(await tempDir(), 'data');
    const first = await loadOrCreateDevKey(dir);
    const second = await loadOrCreateDevKey(dir);
    expect(first.created).toBe(true);
    expect(second).toEqual({ key: first.key, created: false });
    expect(Buffer.from(first.key, 'base64url')).toHaveLength(32);
    expect((await stat(join(dir, 'dev-secret.key'))).mode & 0o777).toBe(0o600);
    expect(createSecretBox(first.key).open(createSecretBox(second.key).seal('x'))).toBe('x');
  });
});

describe('a SQLite file on disk', () => {
  it('holds the tenant secrets only encrypted, and they decrypt back after reopening', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store', 'pod.sqlite');
    const box = createSecretBox(key);
    const store = await openStore({ sqlitePath: path });
    const tenant = await createRepositories(store.db, box).tenants.upsert({
      name: 'Northwind',
      cwSite: 'na.myconnectwise.net',
      cwCompanyId: 'democw',
      cwRegion: 'na',
      cwClientId: 'client-id-1',
      cwPublicKey: 'PUBLICKEY-visible-1234',
      cwPrivateKey: 'PRIVATEKEY-hidden-5678',
      pax8ClientId: 'pax8-client-id',
      pax8ClientSecret: 'PAX8SECRET-hidden-9012',
    });
    const rawBytes = async () => {
      const files = (await readdir(join(dir, 'store'))).filter((f) => f.startsWith('pod.sqlite'));
      return Buffer.concat(await Promise.all(files.map((f) => readFile(join(dir, 'store', f))))).toString(
        'latin1',
      );
    };
    // Read while open (data may sit in the WAL) and after close (checkpointed into the main file).
    for (const bytes of [await rawBytes(), await store.close().then(rawBytes)]) {
      expect(bytes).toContain('PUBLICKEY-visible-1234'); // the reader sees the file's text…
      expect(bytes).not.toContain('PRIVATEKEY-hidden-5678'); // …but not the secrets
      expect(bytes).not.toContain('PAX8SECRET-hidden-9012');
      expect(bytes).not.toContain(Buffer.from('PRIVATEKEY-hidden-5678').toString('base64'));
    }
    const reopened = await openStore({ sqlitePath: path });
    try {
      expect(await createRepositories(reopened.db, box).tenants.secrets(tenant.id)).toEqual({
        cwPrivateKey: 'PRIVATEKEY-hidden-5678',
        pax8ClientSecret: 'PAX8SECRET-hidden-9012',
      });
      const wrongKey = createSecretBox(deriveKey('a different app secret, 32 chars or more', 'secrets'));
      await expect(
        createRepositories(reopened.db, wrongKey).tenants.secrets(tenant.id),
      ).rejects.toMatchObject({
        code: 'internal',
      });
    } finally {
      await reopened.close();
    }
  });
});

describe('normaliseSite', () => {
  it.each([
    ['na.myconnectwise.net', 'na.myconnectwise.net'],
    ['https://NA.MyConnectWise.net/', 'na.myconnectwise.net'],
    ['https://na.myconnectwise.net:443/v4_6_release/apis/3.0', 'na.myconnectwise.net'],
    ['  api-eu.myconnectwise.net  ', 'api-eu.myconnectwise.net'],
    ['http://cw.example.com:8080', 'cw.example.com:8080'],
    ['cw.example.com:8443/', 'cw.example.com:8443'],
    ['http://127.0.0.1:8787/sandbox/cw', '127.0.0.1:8787'],
    ['na.myconnectwise.net.', 'na.myconnectwise.net'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseSite(input)).toBe(expected);
  });

  it.each([[''], ['   '], ['https://'], ['http://exa mple.com']])('refuses %j', (input) => {
    expect(() => normaliseSite(input)).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});
