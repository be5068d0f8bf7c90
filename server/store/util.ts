// Small helpers shared by the repositories: JSON columns, decimal checks, unique-violation detection.
import { AppError } from '../errors.ts';

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = (text: string): unknown => JSON.parse(text);
export const fromJsonOrNull = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

const DECIMAL = /^-?\d{1,12}(\.\d{1,6})?$/;

/** Money and percentages are exact decimal strings ("12.50"), never floats. */
export function checkDecimal(field: string, value: string | null): string | null {
  if (value !== null && !DECIMAL.test(value)) {
    throw new AppError('bad_request', `${field} must be a decimal string like "12.50"`);
  }
  return value;
}

/** True for a unique/primary-key violation on SQLite (better-sqlite3) or PostgreSQL (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
