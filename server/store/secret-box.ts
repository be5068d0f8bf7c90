// Secrets at rest: AES-256-GCM with a random 12-byte IV, stored as "v1:<base64url(iv | tag | ciphertext)>".
// The optional context is bound as additional data, so a ciphertext copied to another row or field fails.
// During a key rotation the box also holds the previous key(s): it opens with any, and seals with the current.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export type SecretBox = {
  seal(plaintext: string, context?: string): string;
  /** Throws AppError('internal') when the text was tampered with, sealed under another key or context. */
  open(sealed: string, context?: string): string;
  /** True when only a previous key opens `sealed` (re-seal it); false under the current key; throws like open. */
  needsReseal(sealed: string, context?: string): boolean;
};

const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 32-byte key, or its base64/base64url text (as loadOrCreateDevKey writes). For an APP_SECRET use deriveKey.
 * `previous`: keys that still open what they sealed (APP_SECRET_PREVIOUS during a rotation), never used to seal.
 */
export function createSecretBox(
  key: Uint8Array | string,
  previous: readonly (Uint8Array | string)[] = [],
): SecretBox {
  const current = singleKeyBox(key);
  const older = previous.map(singleKeyBox);
  const openAny = (sealed: string, context?: string): { plain: string; current: boolean } => {
    try {
      return { plain: current.open(sealed, context), current: true };
    } catch (error) {
      for (const box of older) {
        try {
          return { plain: box.open(sealed, context), current: false };
        } catch {}
      }
      throw error;
    }
  };
  return {
    seal: current.seal,
    open: (sealed, context) => openAny(sealed, context).plain,
    needsReseal: (sealed, context) => !openAny(sealed, context).current,
  };
}

function singleKeyBox(key: Uint8Array | string): Omit<SecretBox, 'needsReseal'> {
  const k = typeof key === 'string' ? Buffer.from(key, 'base64url') : Buffer.from(key);
  if (k.length !== 32) throw new Error('SecretBox key must be 32 bytes (use deriveKey for a passphrase)');
  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, context = '') {
      if (!sealed.startsWith(PREFIX)) throw new AppError('internal', 'Stored secret has an unknown format');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new AppError('internal', 'Stored secret is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (cause) {
        throw new AppError('internal', 'Stored secret could not be decrypted (wrong key or tampered data)', {
          cause,
        });
      }
    },
  };
}

/** One APP_SECRET, two independent keys: HKDF-SHA256 with the purpose as info. */
export function deriveKey(appSecret: string, purpose: 'secrets' | 'sessions'): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', appSecret, 'pax8-cw-pod', `pax8-cw-pod:${purpose}`, 32));
}

/**
 * Sandbox only: a random secret kept in `<dataDir>/dev-secret.key` (mode 0600), so a restarted sandbox can
 * still read what it encrypted. The key text is 43 base64url characters: usable as an APP_SECRET for
 * deriveKey, and directly by createSecretBox.
 */
export async function loadOrCreateDevKey(dataDir: string): Promise<{ key: string; created: boolean }> {
  const file = join(dataDir, 'dev-secret.key');
  if ((await mkdir(dataDir, { recursive: true, mode: 0o700 })) !== undefined) await chmod(dataDir, 0o700);
  const key = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await chmod(file, 0o600);
  const existing = (await readFile(file, 'utf8')).trim();
  if (Buffer.from(existing, 'base64url').length !== 32)
    throw new Error(`${file} does not hold a 32-byte key`);
  return { key: existing, created: false };
}
