// CW's Basic auth: `companyId+publicKey:privateKey` (API member keys) or `companyId+memberId:memberHash`
// (a member inside a hosted pod), plus the mandatory clientId header. Restricted keys get 403 on finance.
import type { MiddlewareHandler } from 'hono';
import { apiBaseOf, apiRoot, type CwEnv, CwError, type Principal } from './http.ts';
import type { CwData } from './store.ts';

/** The API member that writes made with API keys are attributed to (`_info.updatedBy`). */
export const apiMemberIdentifier = 'Pax8Api';

const unauthorized = (message: string) => new CwError(401, 'Unauthorized', message);

export function principalOf(data: CwData, authorization: string | undefined): Principal {
  if (!authorization?.toLowerCase().startsWith('basic ')) {
    throw unauthorized('Authorization is required: Basic base64("companyId+publicKey:privateKey").');
  }
  let decoded: string;
  try {
    decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  } catch {
    throw unauthorized('The Authorization header is not valid Basic credentials.');
  }
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  const plus = user.indexOf('+');
  const company = plus < 0 ? '' : user.slice(0, plus);
  const key = plus < 0 ? user : user.slice(plus + 1);
  if (company.toLowerCase() !== data.company.id.toLowerCase()) {
    throw unauthorized('The company id in the credentials is not known.');
  }
  const apiKey = data.apiKeys.find((k) => k.publicKey === key && k.privateKey === secret);
  if (apiKey) return { kind: apiKey.scope === 'full' ? 'api' : 'restricted', name: apiMemberIdentifier };
  const member = data.memberHashes.get(secret);
  if (member !== undefined && member.toLowerCase() === key.toLowerCase())
    return { kind: 'member', name: member };
  throw unauthorized('The credentials are not valid: public/private key pair or member hash rejected.');
}

export function cwAuth(data: CwData): MiddlewareHandler<CwEnv> {
  return async (c, next) => {
    const principal = principalOf(data, c.req.header('authorization'));
    if (!c.req.header('clientid')) {
      throw unauthorized('clientId is required: send the clientId header with your integration client id.');
    }
    const rel = c.req.path.slice(c.req.path.indexOf(apiRoot) + apiRoot.length).toLowerCase();
    if (principal.kind === 'restricted' && rel.startsWith('/finance/')) {
      throw new CwError(
        403,
        'Forbidden',
        'You do not have permission to access finance: the security role lacks it.',
      );
    }
    if (principal.kind === 'member' && c.req.method !== 'GET') {
      throw new CwError(403, 'Forbidden', 'Member-hash authentication is read-only in this emulator.');
    }
    c.set('principal', principal);
    c.set('base', apiBaseOf(c.req.url));
    await next();
  };
}
