// Valibot at the HTTP edge: bodies, params and queries that do not fit get a 400 that names the field.
import type { Context } from 'hono';
import * as v from 'valibot';
import { AppError } from '../errors.ts';

export type Issue = { path: string; message: string };

export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): Issue[] {
  return issues.map((issue) => ({
    path: v.getDotPath(issue) ?? '(root)',
    message: issue.message,
  }));
}

export function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issues = issuesOf(result.issues);
  const first = issues[0];
  throw new AppError(
    'bad_request',
    `Invalid ${what}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`,
    {
      details: issues,
    },
  );
}

/** Reads a JSON body; a body that is not JSON is a 400, never a 500. */
export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new AppError('bad_request', 'Request body must be JSON');
  }
  return parseOrThrow(schema, raw, 'request body');
}

export function queryOf<S extends v.GenericSchema>(c: Context, schema: S): v.InferOutput<S> {
  return parseOrThrow(schema, c.req.query(), 'query');
}
