import { describe, expect, it } from 'vitest';
import { createMemberVerdicts, MEMBER_VERDICT_TTL_MS } from '../../server/session/member-verdicts.ts';

const jsmith = { id: 7, identifier: 'jsmith', firstName: 'John', lastName: 'Smith', email: null };
const facts = [
  'tenant-1',
  '{"siteUrl":"https://na.myconnectwise.net"}',
  'acme',
  'client',
  'jsmith',
  'hash-1',
];

describe('member verdicts', () => {
  it('keeps a confirmation for exactly its facts, for a minute', () => {
    let now = 1_000;
    const verdicts = createMemberVerdicts({ now: () => now });
    verdicts.set(facts, jsmith);
    expect(verdicts.get(facts)).toEqual(jsmith);
    expect(verdicts.get([...facts.slice(0, 5), 'hash-2'])).toBeUndefined();
    expect(verdicts.get(['tenant-2', ...facts.slice(1)])).toBeUndefined();
    now += MEMBER_VERDICT_TTL_MS - 1;
    expect(verdicts.get(facts)).toEqual(jsmith);
    now += 1;
    expect(verdicts.get(facts)).toBeUndefined();
    expect(verdicts.size()).toBe(0);
  });

  it('lets the oldest go when full', () => {
    const verdicts = createMemberVerdicts({ max: 2 });
    verdicts.set([...facts, 'a'], jsmith);
    verdicts.set([...facts, 'b'], jsmith);
    verdicts.set([...facts, 'c'], jsmith);
    expect(verdicts.size()).toBe(2);
    expect(verdicts.get([...facts, 'a'])).toBeUndefined();
    expect(verdicts.get([...facts, 'c'])).toEqual(jsmith);
  });
});
