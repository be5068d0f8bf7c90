// The public tenant key: names a tenant in the pod URL ConnectWise loads. Random, not a secret (it sits in
// ConnectWise's hosted setup and the browser's address), but unguessable, so nothing can enumerate tenants.
import { randomBytes } from 'node:crypto';

/** 24 random bytes (192 bits) as 32 base64url characters. */
export function newTenantKey(): string {
  return randomBytes(24).toString('base64url');
}

const TENANT_KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** Whether `text` has the shape of a tenant key (checked before any lookup). */
export function isTenantKeyShaped(text: string): boolean {
  return TENANT_KEY.test(text);
}
