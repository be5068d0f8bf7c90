// CW system reports come as column definitions plus rows of bare values; this turns the hosted-screen
// report into `{ id, name }` rows, finding the columns by shape rather than by position.
import { ConnectWiseError } from './errors.ts';

export type HostedScreen = { id: number; name: string };

type Report = { column_definitions: Record<string, unknown>[]; row_values: unknown[][] };

function columnInfo(def: Record<string, unknown>): { name: string; type: string; identity: boolean } {
  const [name, meta] = Object.entries(def)[0] ?? ['', {}];
  const m = (typeof meta === 'object' && meta !== null ? meta : {}) as Record<string, unknown>;
  return { name, type: String(m.type ?? ''), identity: m.identityColumn === true };
}

export function parseHostedScreens(report: Report): HostedScreen[] {
  const columns = report.column_definitions.map(columnInfo);
  const idAt = columns.findIndex((c) => c.identity || (c.type === 'Numeric' && /rec_?id/i.test(c.name)));
  const nameAt = columns.findIndex((c) => c.name === 'Client_Api_ID' || (c.type === 'Text' && !c.identity));
  if (idAt < 0 || nameAt < 0) {
    throw new ConnectWiseError(
      'bad_response',
      'upstream_unavailable',
      'The ConnectWiseHostedApiScreen report has no id or name column',
    );
  }
  return report.row_values.flatMap((row) => {
    const screenId = row[idAt];
    const name = row[nameAt];
    return typeof screenId === 'number' && typeof name === 'string' ? [{ id: screenId, name }] : [];
  });
}
