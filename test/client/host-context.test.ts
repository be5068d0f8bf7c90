import { describe, expect, it } from 'vitest';
import {
  contextFromScreenObject,
  contextFromUrl,
  describeContext,
  resolveContext,
} from '../../client/host/context.ts';
import { parseHostMessage, parsePodMessage } from '../../client/host/protocol.ts';

describe('context from the URL tokens', () => {
  it.each([
    [
      '/pod?screen=agreement&id=290',
      { ok: true, context: { kind: 'agreement', id: 290, hostedAs: 'pod', source: 'url' } },
    ],
    [
      '/pod?screen=Agreement&id=290',
      { ok: true, context: { kind: 'agreement', id: 290, hostedAs: 'pod', source: 'url' } },
    ],
    [
      '/pod?screen=company&id=456',
      { ok: true, context: { kind: 'company', id: 456, hostedAs: 'pod', source: 'url' } },
    ],
    [
      '/pod?screen=CompanyDetail&id=456',
      { ok: true, context: { kind: 'company', id: 456, hostedAs: 'pod', source: 'url' } },
    ],
    [
      '/pod?screen=companyfinance&id=7&view=tab',
      { ok: true, context: { kind: 'company-finance', id: 7, hostedAs: 'tab', source: 'url' } },
    ],
    [
      '/pod?id=7&screen=Company%20Finance',
      { ok: true, context: { kind: 'company-finance', id: 7, hostedAs: 'pod', source: 'url' } },
    ],
    ['/pod', { ok: false, reason: 'missing' }],
    ['/pod?screen=agreement', { ok: false, reason: 'missing' }],
    ['/pod?screen=ticket&id=444', { ok: false, reason: 'unsupported-screen', screen: 'ticket' }],
    [
      '/pod?screen=[cw_screen]&id=[cw_id]',
      { ok: false, reason: 'unsupported-screen', screen: '[cw_screen]' },
    ],
    ['/pod?screen=agreement&id=[cw_id]', { ok: false, reason: 'bad-id', screen: 'agreement' }],
    ['/pod?screen=agreement&id=0', { ok: false, reason: 'bad-id', screen: 'agreement' }],
    ['/pod?screen=agreement&id=-3', { ok: false, reason: 'bad-id', screen: 'agreement' }],
    ['/pod?screen=agreement&id=2.5', { ok: false, reason: 'bad-id', screen: 'agreement' }],
    [
      'https://pod.example.com/pod?screen=company&id=%20253%20',
      { ok: true, context: { kind: 'company', id: 253, hostedAs: 'pod', source: 'url' } },
    ],
  ])('%s', (url, expected) => {
    expect(contextFromUrl(url)).toEqual(expected);
  });
});

describe('context from the onLoad screenObject', () => {
  it.each([
    [
      { screen: 'company', id: 253, hostedAs: 'pod' },
      { ok: true, context: { kind: 'company', id: 253, hostedAs: 'pod', source: 'onLoad' } },
    ],
    [
      { screen: 'Company', id: '253', hostedAs: 'Tab' },
      { ok: true, context: { kind: 'company', id: 253, hostedAs: 'tab', source: 'onLoad' } },
    ],
    [
      { screen: 'agreement', id: 290 },
      { ok: true, context: { kind: 'agreement', id: 290, hostedAs: 'pod', source: 'onLoad' } },
    ],
    [
      { screen: 'CompanyFinance', id: 12, hostedAs: 'pod' },
      { ok: true, context: { kind: 'company-finance', id: 12, hostedAs: 'pod', source: 'onLoad' } },
    ],
    [
      { screen: 'ticket', id: 123445, hostedAs: 'pod' },
      { ok: false, reason: 'unsupported-screen', screen: 'ticket' },
    ],
    [
      { screen: 'company', id: 'abc' },
      { ok: false, reason: 'bad-id', screen: 'company' },
    ],
  ])('%j', (screenObject, expected) => {
    expect(contextFromScreenObject(screenObject)).toEqual(expected);
  });

  it('prefers the screenObject and falls back to the URL', () => {
    const url = '/pod?screen=agreement&id=290';
    expect(resolveContext(url, { screen: 'company', id: 253 })).toMatchObject({
      context: { kind: 'company', id: 253 },
    });
    expect(resolveContext(url, { screen: 'ticket', id: 1 })).toMatchObject({
      context: { kind: 'agreement', id: 290 },
    });
    expect(resolveContext(url)).toMatchObject({ context: { kind: 'agreement', id: 290, source: 'url' } });
  });

  it.each([
    [{ kind: 'agreement', id: 290, hostedAs: 'pod', source: 'url' }, 'Agreement #290'],
    [{ kind: 'company', id: 253, hostedAs: 'pod', source: 'url' }, 'Company #253'],
    [{ kind: 'company-finance', id: 7, hostedAs: 'tab', source: 'onLoad' }, 'Company Finance #7'],
  ] as const)('describes %j as %s', (context, label) => {
    expect(describeContext(context)).toBe(label);
  });
});

describe('message guards', () => {
  it.each([
    ['{"MessageFrameID":"abc"}', 'frame-id'],
    ['{"MessageFrameID":12}', 'frame-id'],
    ['{"response":"getmemberauthentication","data":{}}', 'response'],
    ['{"response":"setdirty"}', 'response'],
    [
      '{"event":"onLoad","_id":1,"data":{"screenObject":{"screen":"company","id":1,"hostedAs":"pod"}}}',
      'event',
    ],
    ['{"event":"beforeSave","_id":"x"}', 'event'],
    ['{"MessageFrameID":null}', undefined],
    ['{"MessageFrameID":{}}', undefined],
    ['{"event":"onLoad"}', undefined],
    ['{"response":["x"]}', undefined],
    ['[]', undefined],
    ['"ready"', undefined],
    ['', undefined],
  ])('host → pod %s is %s', (data, kind) => {
    expect(parseHostMessage(data)?.kind).toBe(kind);
  });

  it.each([
    ['{"message":"ready"}', 'ready'],
    ['{"hosted_request":"getMemberAuthentication","frameID":"f"}', 'request'],
    ['{"hosted_request":"setDirty","args":{"dirty":true},"frameID":"f"}', 'request'],
    ['{"event":"onLoad","_id":1,"result":"success","frameID":"f"}', 'ack'],
    ['{"event":"beforeSave","_id":1,"result":"failure","errors":["no"],"frameID":"f"}', 'ack'],
    ['{"request":"getMemberAuthentication"}', undefined],
    ['{"message":"hello"}', undefined],
    ['{"event":"onLoad","_id":1,"result":"maybe"}', undefined],
  ])('pod → host %s is %s', (data, kind) => {
    expect(parsePodMessage(data)?.kind).toBe(kind);
  });
});
