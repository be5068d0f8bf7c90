import { describe, expect, it } from 'vitest';
import { ConnectWiseError } from '../../server/connectwise/index.ts';
import { cwJson, recordingFetch, testClient } from './connectwise-fakes.ts';

describe('error mapping', () => {
  it.each<[string, number, unknown, string, string, string]>([
    [
      'bad keys',
      401,
      { code: 'Unauthorized', message: 'x' },
      'upstream_auth',
      'auth',
      'ConnectWise rejected the API keys',
    ],
    [
      'missing clientId',
      401,
      { code: 'Unauthorized', message: 'clientId is required' },
      'upstream_auth',
      'client_id',
      'ConnectWise requires a valid clientId',
    ],
    [
      'security role',
      403,
      { code: 'Forbidden', message: 'no' },
      'upstream_rejected',
      'forbidden',
      'The ConnectWise API member is missing permission for finance/agreements/{id}/additions (GET)',
    ],
    [
      'invalid object',
      400,
      {
        code: 'InvalidObject',
        message: 'addition object is invalid',
        errors: [
          {
            code: 'NullValue',
            message: 'The product field is required.',
            resource: 'addition',
            field: 'product',
          },
        ],
      },
      'upstream_rejected',
      'invalid',
      'ConnectWise rejected GET finance/agreements/{id}/additions: The product field is required.',
    ],
    [
      'not found',
      404,
      { code: 'NotFound', message: 'x' },
      'not_found',
      'not_found',
      'ConnectWise has no finance/agreements/{id}/additions',
    ],
    [
      'conflict',
      409,
      'in use',
      'conflict',
      'conflict',
      'ConnectWise reports a conflict on GET finance/agreements/{id}/additions',
    ],
  ])('%s', async (_name, status, body, code, kind, message) => {
    const { fetch } = recordingFetch(() => cwJson(body, status));
    const { client } = testClient(fetch);
    const error = await client.additions.all(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectWiseError);
    expect(error).toMatchObject({ code, kind, message, upstreamStatus: status });
    expect(JSON.stringify(error)).not.toContain('sEcReTpRiVaTe');
    expect(String((error as Error).message)).not.toContain('pub123');
  });

  it('keeps CW field errors in details', async () => {
    const errors = [{ code: 'ObjectExists', message: 'Company ID already in use.', field: 'identifier' }];
    const { fetch } = recordingFetch(() => cwJson({ code: 'InvalidObject', errors }, 400));
    const { client } = testClient(fetch);
    const error = await client.catalog
      .create({
        identifier: 'X',
        description: 'd',
        customerDescription: 'c',
        subcategory: { id: 1 },
        type: { id: 1 },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ cwCode: 'InvalidObject', details: { errors }, errors });
  });

  it('network failure → ConnectWise host unreachable, cause kept', async () => {
    const cause = new TypeError('fetch failed');
    const { fetch } = recordingFetch(() => {
      throw cause;
    });
    const { client } = testClient(fetch, { retries: 0 });
    const error = await client.systemInfo().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      kind: 'unreachable',
      message: 'ConnectWise host unreachable',
    });
    expect((error as Error).cause).toBe(cause);
  });

  it.each<[string, () => Response, string]>([
    ['wrong type', () => cwJson({ id: 'seven', identifier: 'A', name: 'B' }), 'id'],
    ['missing field', () => cwJson({ id: 7, name: 'B' }), 'identifier'],
    ['not JSON', () => new Response('<html>maintenance</html>', { status: 200 }), 'not JSON'],
  ])('malformed upstream body (%s) → clear error', async (_name, answer, mentions) => {
    const { fetch } = recordingFetch(answer);
    const { client } = testClient(fetch);
    const error = await client.companies.get(7).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_unavailable', kind: 'bad_response' });
    expect((error as Error).message).toContain('GET company/companies/{id}');
    expect((error as Error).message).toContain(mentions);
  });
});

describe('schemas', () => {
  it('null optional fields read as absent; unknown fields are kept for a PUT round trip', async () => {
    const { fetch } = recordingFetch(() =>
      cwJson({ id: 7, identifier: 'A', name: 'B', status: null, city: null, userDefinedField1: 'kept' }),
    );
    const { client } = testClient(fetch);
    expect(await client.companies.get(7)).toEqual({
      id: 7,
      identifier: 'A',
      name: 'B',
      status: undefined,
      city: undefined,
      userDefinedField1: 'kept',
    });
  });
});
