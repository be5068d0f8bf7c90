// The conditions builder's output, evaluated by the emulated ConnectWise's query parser: each row's
// expected matches are written out over three seeded companies.
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../server/connectwise/index.ts';
import { cond, createConnectWiseClient } from '../../server/connectwise/index.ts';
import { createCwEmulator, demoCwCredentials } from '../../server/sandbox/cw/index.ts';

const emulator = createCwEmulator({ now: () => new Date('2026-11-25T12:00:00Z') });
for (const row of [
  {
    identifier: 'ZZ1',
    name: `O'Brien "IT"`,
    deletedFlag: false,
    dateAcquired: '2020-01-15T00:00:00Z',
    annualRevenue: 100,
  },
  {
    identifier: 'ZZ2',
    name: 'Back\\slash',
    deletedFlag: true,
    dateAcquired: '2021-06-01T00:00:00Z',
    annualRevenue: 250.5,
  },
  { identifier: 'ZZ3', name: 'Plain', deletedFlag: false, dateAcquired: null, annualRevenue: -5 },
]) {
  emulator.data.insert('companies', row);
}
const cw = createConnectWiseClient({
  apiBaseUrl: 'http://cw.local/v4_6_release/apis/3.0',
  companyId: demoCwCredentials.companyId,
  clientId: demoCwCredentials.clientId,
  auth: { kind: 'apiKey', publicKey: demoCwCredentials.publicKey, privateKey: demoCwCredentials.privateKey },
  fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
    emulator.app.request(input, init)) as typeof fetch,
});

describe('cond against the emulator', () => {
  it.each<[string, Condition, string[]]>([
    ['quotes', cond.eq('name', `O'Brien "IT"`), ['ZZ1']],
    ['backslash', cond.eq('name', 'Back\\slash'), ['ZZ2']],
    ['not equal', cond.ne('name', `O'Brien "IT"`), ['ZZ2', 'ZZ3']],
    ['contains a quoted word', cond.contains('name', '"IT"'), ['ZZ1']],
    ['like', cond.like('name', 'pla%'), ['ZZ3']],
    ['boolean', cond.eq('deletedFlag', true), ['ZZ2']],
    ['date on or after', cond.gte('dateAcquired', cond.date('2021-01-01')), ['ZZ2']],
    ['date before', cond.lt('dateAcquired', cond.date('2021-01-01')), ['ZZ1']],
    ['null', cond.eq('dateAcquired', null), ['ZZ3']],
    ['in', cond.in('identifier', ['ZZ1', 'ZZ3']), ['ZZ1', 'ZZ3']],
    ['decimal', cond.gt('annualRevenue', 100), ['ZZ2']],
    ['negative', cond.lt('annualRevenue', 0), ['ZZ3']],
    ['or', cond.or(cond.eq('name', 'Plain'), cond.eq('deletedFlag', true)), ['ZZ2', 'ZZ3']],
    ['injection attempt', cond.eq('name', 'x" or identifier like "ZZ%'), []],
  ])('%s', async (_name, condition, expected) => {
    const rows = await cw.companies.list({
      conditions: cond.and(cond.like('identifier', 'ZZ%'), condition),
      orderBy: 'identifier asc',
    });
    expect(rows.map((r) => r.identifier)).toEqual(expected);
  });
});
