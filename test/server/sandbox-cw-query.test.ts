// The CW conditions language: one row per case, the ids that must match written out.
import { describe, expect, it } from 'vitest';
import { parseConditions, QuerySyntaxError } from '../../server/sandbox/cw/query.ts';
import { evaluate, QueryTypeError } from '../../server/sandbox/cw/query-eval.ts';

const rows = [
  {
    id: 1,
    name: 'Ace Monthly',
    agreementStatus: 'Active',
    cancelledFlag: false,
    billAmount: 10.5,
    company: { id: 250, identifier: 'AceChemical', name: 'Ace Chemical Processing Plant' },
    startDate: '2025-01-01T00:00:00Z',
    parentAgreementId: null,
  },
  {
    id: 2,
    name: `O'Brien "IT" Monthly`,
    agreementStatus: 'Cancelled',
    cancelledFlag: true,
    billAmount: 0,
    company: { id: 271, identifier: 'OBrienIT', name: `O'Brien "IT" Partners` },
    startDate: '2024-06-01T00:00:00Z',
    parentAgreementId: 1,
  },
  {
    id: 3,
    name: 'Cedar & Pine 50% Off',
    agreementStatus: 'Expired',
    cancelledFlag: false,
    billAmount: -3,
    company: { id: 277, identifier: 'CedarLaw', name: 'Cedar & Pine Law Office' },
    startDate: '2023-03-15T12:30:00Z',
  },
];

const cases: [string, number[]][] = [
  ['id = 1', [1]],
  ['id != 1', [2, 3]],
  ['id > 1', [2, 3]],
  ['id >= 2', [2, 3]],
  ['id < 2', [1]],
  ['id <= 2', [1, 2]],
  ['billAmount = 10.5', [1]],
  ['billAmount < -1', [3]],
  ['name = "ace monthly"', [1]],
  ["name = 'ACE MONTHLY'", [1]],
  [`name = 'O\\'Brien "IT" Monthly'`, [2]],
  [`name = "O'Brien \\"IT\\" Monthly"`, [2]],
  ['name like "Ace%"', [1]],
  ['name like "%monthly"', [1, 2]],
  ['name like "*Pine*"', [3]],
  ['name like "%50\\%%"', [3]],
  ['name not like "%monthly"', [3]],
  ['name contains "brien"', [2]],
  ['name not contains "monthly"', [3]],
  ['company/id = 271', [2]],
  ['company/identifier = "cedarlaw"', [3]],
  ['COMPANY/NAME contains "law"', [3]],
  ['agreementStatus in ("Active", "Expired")', [1, 3]],
  ['agreementStatus not in ("Active")', [2, 3]],
  ['id in (1,3)', [1, 3]],
  ['cancelledFlag = true', [2]],
  ['cancelledFlag = FALSE', [1, 3]],
  ['parentAgreementId = null', [1, 3]],
  ['parentAgreementId != null', [2]],
  ['startDate > [2024-01-01T00:00:00Z]', [1, 2]],
  ['startDate < [2024-06-01T00:00:00Z]', [3]],
  ['startDate = [2025-01-01T00:00:00Z]', [1]],
  ['startDate >= [2024-06-01]', [1, 2]],
  ['id = 1 or id = 2 and id = 3', [1]],
  ['(id = 1 or id = 2) and id = 2', [2]],
  ['id = 3 OR id = 1 AND cancelledFlag = false', [1, 3]],
  ['not id = 1', [2, 3]],
  ['not (id = 1 or id = 3)', [2]],
  ['NOT cancelledFlag = true and billAmount >= 0', [1]],
  [
    '(company/name like "Ace%" and cancelledFlag = false) and startDate > [2015-12-23T05:53:27Z] or name contains "50%"',
    [1, 3],
  ],
  ['  id=2  ', [2]],
  ['id <> 2', [1, 3]],
  ['missingField = null', [1, 2, 3]],
  ['missingField = "x"', []],
];

describe('CW conditions: evaluation', () => {
  it.each(cases)('%s', (conditions, ids) => {
    const ast = parseConditions(conditions);
    expect(rows.filter((r) => evaluate(ast, r)).map((r) => r.id)).toEqual(ids);
  });
});

const errors: [string, string][] = [
  ['id =', "Expected a value after '=' at position 4"],
  ['name = "Ace', 'Unterminated string at position 7'],
  ['startDate > [2020-01-01', "Unterminated date, expected ']' at position 12"],
  ['startDate > [not a date]', 'Invalid date [not a date] at position 12'],
  ['id = 1 and', 'Expected a field name at position 10'],
  ['id = 1 id = 2', "Expected 'and', 'or' or the end of the conditions at position 7"],
  ['(id = 1', "Expected ')' at position 7"],
  ['id 1', "Expected an operator after 'id' at position 3"],
  ['name like 5', "Expected a string value after 'like' at position 9"],
  ['id in 1,2', "Expected '(' after 'in' at position 6"],
  ['id in (1 2)', "Expected ',' or ')' in 'in' list at position 9"],
  ['id ! 1', "Unexpected '!', did you mean '!=' at position 3"],
  ['id = 1 # 2', "Unexpected character '#' at position 7"],
  ['', 'Expected a condition at position 0'],
  ['= 1', 'Expected a field name at position 0'],
];

describe('CW conditions: syntax errors say why and where', () => {
  it.each(errors)('%s', (conditions, message) => {
    expect(() => parseConditions(conditions)).toThrow(QuerySyntaxError);
    expect(() => parseConditions(conditions)).toThrow(message);
  });
});

const typeErrors: [string, string][] = [
  ['cancelledFlag = 1', 'Expected a boolean value, not a numeric, for cancelledFlag.'],
  ['id = "1"', 'Expected a numeric value, not a string, for id.'],
  ['company/id in (250, "271")', 'Expected a numeric value, not a string, for company/id.'],
  ['startDate > "2024-01-01"', 'Expected a datetime value, not a string, for startDate.'],
  ['cancelledFlag = [2024-01-01]', 'Expected a boolean value, not a datetime, for cancelledFlag.'],
];

describe('CW conditions: a literal of the wrong kind for the field is an error, as on CW', () => {
  it.each(typeErrors)('%s', (conditions, message) => {
    const ast = parseConditions(conditions);
    expect(() => rows.filter((r) => evaluate(ast, r))).toThrow(QueryTypeError);
    expect(() => rows.filter((r) => evaluate(ast, r))).toThrow(message);
  });
});
