import { describe, expect, it } from 'vitest';
import { markerFor, markerText, parseMarker, withMarker, writeIdOf } from '../../server/sync/marker.ts';

describe('addition marker', () => {
  const m = markerFor('a1b2-c3', 'prorate', 'sub:a1b2-c3|agr:7|prorate|2020-09-09');

  it('names the subscription, the kind and the write, stable for one key', () => {
    expect(m).toEqual({
      subscriptionId: 'a1b2-c3',
      kind: 'prorate',
      write: writeIdOf('sub:a1b2-c3|agr:7|prorate|2020-09-09'),
    });
    expect(m.write).toMatch(/^[0-9a-f]{16}$/);
    expect(markerFor('a1b2-c3', 'prorate', 'other key').write).not.toBe(m.write);
  });

  it.each([
    ['Office 365 E3', `Office 365 E3 ${markerText(m)}`],
    ['', markerText(m)],
    [null, markerText(m)],
    [`Office 365 E3 [pax8:old-sub:recurring:0123456789abcdef]`, `Office 365 E3 ${markerText(m)}`],
  ])('withMarker(%j) replaces any old marker', (base, expected) => {
    expect(withMarker(base, m)).toBe(expected);
  });

  it.each([
    [`E3 ${markerText(m)}`, m],
    ['E3 made by hand', null],
    ['', null],
    [undefined, null],
    ['[pax8:x:recurring:0123]', null],
    ['[pax8:x:Recurring:0123456789abcdef]', null],
  ])('parseMarker(%j)', (text, expected) => {
    expect(parseMarker(text)).toEqual(expected);
  });
});
