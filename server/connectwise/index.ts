// The ConnectWise module boundary: the REST client, member verification, conditions and date helpers.
export type { AllOptions, ConnectWiseClient, ConnectWiseClientOptions, ListOptions } from './client.ts';
export { createConnectWiseClient } from './client.ts';
export type { Condition, CwValue } from './conditions.ts';
export { cond } from './conditions.ts';
export { fromCwDate, toCwDate } from './dates.ts';
export type { ConnectWiseErrorKind, CwFieldError } from './errors.ts';
export { ConnectWiseError, isConnectWiseError } from './errors.ts';
export type { ConnectWiseAuth } from './http.ts';
export type { HostedScreen } from './reports.ts';
export type * from './schemas.ts';
export type { CloudRegion, CompanyInfo, ConnectWiseTarget } from './target.ts';
export { cloudApiHosts, companyInfo, discoverCodebase } from './target.ts';
export type { VerifiedMember } from './verify-member.ts';
export { verifyMember } from './verify-member.ts';
