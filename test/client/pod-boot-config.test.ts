// The pod's inline config (issue 13): read from the page's JSON data block and checked like the API's answer;
// anything absent or malformed is null, so the pod falls back to GET /api/pod-config.
import { describe, expect, it } from 'vitest';
import { inlineConfig } from '../../client/pod/boot.ts';

describe('inlineConfig', () => {
  it.each([
    [
      'the server block',
      '{"hostOrigins":["http://127.0.0.1:8787","https://cw.partner.example"]}',
      {
        hostOrigins: ['http://127.0.0.1:8787', 'https://cw.partner.example'],
      },
    ],
    [
      'an escaped <',
      '{"hostOrigins":["https://a.example/\\u003c"]}',
      { hostOrigins: ['https://a.example/<'] },
    ],
    ['absent', undefined, null],
    ['empty', '', null],
    ['not JSON', '{hostOrigins:', null],
    ['the wrong shape', '{"hostOrigins":"https://a.example"}', null],
  ] as const)('%s', (_name, text, expected) => {
    expect(inlineConfig(text)).toEqual(expected);
  });
});
