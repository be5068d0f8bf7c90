// Money and dates as the pod and the app show them: US dates, dollars with thousands grouped (as the board).
import { describe, expect, it } from 'vitest';
import { amount, dollars, usDate } from '../../client/ui/format.ts';

describe('dollars', () => {
  it.each([
    [0, '$0.00'],
    [25, '$25.00'],
    ['999.99', '$999.99'],
    ['1000', '$1,000.00'],
    [3384.78, '$3,384.78'],
    ['2500025.00', '$2,500,025.00'],
    [-1504.8, '-$1,504.80'],
    [-0.004, '$0.00'],
    ['-0.00', '$0.00'],
    [-0.005, '-$0.01'],
  ])('%s → %s', (value, text) => {
    expect(dollars(value)).toBe(text);
  });

  it('shows what is not a number as given, and nothing for nothing', () => {
    expect(dollars('n/a')).toBe('n/a');
    expect(dollars(null)).toBe('');
    expect(dollars('')).toBe('');
  });

  it('keeps plain amounts (form fields) and US dates as they were', () => {
    expect(amount('1250')).toBe('1250.00');
    expect(usDate('2026-11-20')).toBe('11/20/2026');
  });
});
