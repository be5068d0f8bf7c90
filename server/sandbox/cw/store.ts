// The emulator's in-memory store: one id-keyed table per CW resource, the API keys it accepts, and the
// member hashes it has issued (the sandbox host page hands them to the pod as getMemberAuthentication).
import { uuidFrom } from '../demo/ids.ts';

export type Row = { id: number; [field: string]: unknown };
export type Table = { rows: Map<number, Row>; nextId: number };

export const tableNames = [
  'companies',
  'contacts',
  'countries',
  'catalog',
  'categories',
  'subcategories',
  'types',
  'unitOfMeasures',
  'agreements',
  'agreementTypes',
  'billingCycles',
  'additions',
  'members',
  'hostedSetups',
  'menuEntries',
] as const;
export type TableName = (typeof tableNames)[number];

export type ApiKey = { publicKey: string; privateKey: string; scope: 'full' | 'restricted' };

export type CwData = {
  /** The login company (the `companyId` of Basic auth and /login/companyinfo). */
  company: { id: string; name: string };
  apiKeys: ApiKey[];
  tables: Record<TableName, Table>;
  /** memberHash → member identifier. */
  memberHashes: Map<string, string>;
  /** Issues a member hash for a member, as CW does when the member opens a hosted pod. */
  issueMemberHash(memberIdentifier: string): string;
  /** Inserts with the next id (or the given id) and returns the stored row. */
  insert(table: TableName, row: Omit<Row, 'id'> & { id?: number }): Row;
};

export function createCwData(company: { id: string; name: string }, apiKeys: ApiKey[] = []): CwData {
  const tables = Object.fromEntries(tableNames.map((n) => [n, { rows: new Map(), nextId: 1 }])) as Record<
    TableName,
    Table
  >;
  const memberHashes = new Map<string, string>();
  let issued = 0;
  return {
    company,
    apiKeys,
    tables,
    memberHashes,
    issueMemberHash(memberIdentifier) {
      issued++;
      const hash = uuidFrom(`cw-member-hash:${memberIdentifier}:${issued}`).replaceAll('-', '');
      memberHashes.set(hash, memberIdentifier);
      return hash;
    },
    insert(table, row) {
      const t = tables[table];
      const id = row.id ?? t.nextId;
      t.nextId = Math.max(t.nextId, id + 1);
      const { id: _ignored, ...rest } = row;
      const stored: Row = { id, ...rest };
      t.rows.set(id, stored);
      return stored;
    },
  };
}

/** CW's date form: ISO-8601 UTC without milliseconds. */
export const cwDate = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
