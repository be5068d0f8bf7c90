// The emulator speaks CW's protocol: the third-party npm client `connectwise-rest` lists, pages, creates
// and patches against it over a real loopback socket.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ManageAPI } from 'connectwise-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCwEmulator, demoCwCredentials as creds } from '../../server/sandbox/cw/index.ts';
import { fixedNow } from './sandbox-cw-helpers.ts';

type Server = ReturnType<typeof serve>;
let server: Server;
let cwm: ManageAPI;
const emu = createCwEmulator({ now: () => fixedNow });

beforeAll(async () => {
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: emu.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  cwm = new ManageAPI({
    companyId: creds.companyId,
    publicKey: creds.publicKey,
    privateKey: creds.privateKey,
    clientId: creds.clientId,
    companyUrl: `127.0.0.1:${port}`,
    logger: () => {},
  });
  // connectwise-rest always builds https://{companyUrl}/…; each API object owns an axios instance, so
  // point every one of them at the plain-http loopback server.
  const baseURL = `http://127.0.0.1:${port}/v4_6_release/apis/3.0`;
  const holders = [cwm, cwm.CompanyAPI, cwm.FinanceAPI, cwm.ProcurementAPI, cwm.SystemAPI] as unknown as {
    instance: { defaults: { baseURL: string } };
  }[];
  for (const h of holders) h.instance.defaults.baseURL = baseURL;
});

afterAll(() => {
  server.close();
});

describe('connectwise-rest against the emulator', () => {
  it('lists companies with conditions and ordering', async () => {
    const companies = await cwm.CompanyAPI.getCompanyCompanies({
      conditions: 'state = "CO" and name not like "Denver%"',
      orderBy: 'name desc',
      fields: 'id,name',
    });
    expect(companies).toEqual([
      { id: 256, name: 'Dynamo Corporation' },
      { id: 253, name: 'Arcadia Tech' },
    ]);
  });

  it('pages through all 30 companies 7 at a time', async () => {
    const all = (await cwm.paginate(
      cwm.CompanyAPI.getCompanyCompanies,
      { startPage: 1, pageSize: 7 },
      {},
    )) as {
      id: number;
    }[];
    expect(all).toHaveLength(30);
    expect(new Set(all.map((c) => c.id)).size).toBe(30);
  });

  it('creates and patches an agreement addition', async () => {
    const [ace] = await cwm.FinanceAPI.getFinanceAgreements({ conditions: 'name = "Ace Monthly"' });
    const agreementId = ace?.id as number;
    const created = await cwm.FinanceAPI.postFinanceAgreementsByParentIdAdditions(agreementId, {
      product: { id: 682 },
      billCustomer: 'Billable',
      quantity: 3,
    });
    expect([created.agreementId, created.unitPrice, created.extPrice]).toEqual([agreementId, 25, 75]);
    const patched = await cwm.FinanceAPI.patchFinanceAgreementsByParentIdAdditionsById(
      created.id as number,
      agreementId,
      // The library types `value` as an object; CW (and JSON-Patch) take any JSON value.
      [{ op: 'replace', path: 'quantity', value: 4 as unknown as Record<string, unknown> }],
    );
    expect([patched.quantity, patched.extPrice, patched.margin]).toEqual([4, 100, 20]);
    const count = await cwm.FinanceAPI.getFinanceAgreementsByParentIdAdditionsCount(agreementId, {
      conditions: 'product/id = 682',
    });
    expect(count).toEqual({ count: 1 });
  });

  it('surfaces CW error bodies to the client', async () => {
    await expect(cwm.CompanyAPI.getCompanyCompaniesById(1)).rejects.toMatchObject({
      status: 404,
      data: { code: 'NotFound', message: 'Company recId 1 not found' },
    });
  });
});
