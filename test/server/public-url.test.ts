import { describe, expect, it } from 'vitest';
import { publicUrlFor } from '../../server/registration/public-url.ts';

describe('publicUrlFor', () => {
  it.each([
    [
      { cwRegion: 'na', cwSite: 'na.myconnectwise.net' },
      'https://pod.example.com',
      'https://pod.example.com',
    ],
    [{ cwRegion: 'na', cwSite: 'na.myconnectwise.net' }, undefined, undefined],
    [{ cwRegion: 'self-hosted', cwSite: 'cw.example.com' }, undefined, undefined],
    [{ cwRegion: 'sandbox', cwSite: '127.0.0.1:8787' }, undefined, 'http://localhost:8787'],
    [{ cwRegion: 'sandbox', cwSite: 'localhost:9000' }, undefined, 'http://127.0.0.1:9000'],
    [{ cwRegion: 'sandbox', cwSite: 'pod.internal:8787' }, undefined, 'http://pod.internal:8787'],
    [{ cwRegion: 'sandbox', cwSite: '127.0.0.1:8787' }, 'https://pod.example.com', 'https://pod.example.com'],
  ])('%j with PUBLIC_URL %s → %s', (tenant, configured, expected) => {
    expect(publicUrlFor(tenant, configured)).toBe(expected);
  });
});
