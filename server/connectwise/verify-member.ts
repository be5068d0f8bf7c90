// Proves a Hosted API member session server-side: the browser's memberHash must let CW itself find the
// member. Nothing the browser claims is trusted beyond what this call returns.
import { AppError } from '../errors.ts';
import { createConnectWiseClient } from './client.ts';
import { isConnectWiseError } from './errors.ts';
import type { ConnectWiseTarget } from './target.ts';

export type VerifiedMember = {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  email: string | null;
};

export async function verifyMember(opts: {
  target: ConnectWiseTarget;
  companyId: string;
  clientId: string;
  memberId: string;
  memberHash: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<VerifiedMember> {
  const cw = createConnectWiseClient({
    ...opts.target,
    companyId: opts.companyId,
    clientId: opts.clientId,
    auth: { kind: 'member', memberId: opts.memberId, memberHash: opts.memberHash },
    retries: 1,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  let member: Awaited<ReturnType<typeof cw.findMember>>;
  try {
    member = await cw.findMember(opts.memberId);
  } catch (error) {
    if (isConnectWiseError(error) && (error.kind === 'auth' || error.kind === 'forbidden')) {
      throw new AppError('unauthorized', 'ConnectWise did not accept this member session', { cause: error });
    }
    // Any other refusal (a 404 for system/members, a 400) is ConnectWise's, not a missing tenant of ours:
    // a 404 from /api/session means "this site is not connected" to the pod.
    if (isConnectWiseError(error) && error.status < 500 && error.code !== 'rate_limited') {
      throw new AppError('upstream_rejected', `ConnectWise refused the member check: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  // CW matches identifiers case-insensitively; the hash was issued for exactly one member.
  if (
    member === null ||
    member.identifier.toLowerCase() !== opts.memberId.toLowerCase() ||
    member.inactiveFlag
  ) {
    throw new AppError('unauthorized', 'ConnectWise did not accept this member session');
  }
  return {
    id: member.id,
    identifier: member.identifier,
    firstName: member.firstName ?? '',
    lastName: member.lastName ?? '',
    email: member.primaryEmail ?? member.officeEmail ?? null,
  };
}
