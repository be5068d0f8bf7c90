// ConnectWise sites are compared as host[:port], lower case: "https://NA.myconnectwise.net/" → "na.myconnectwise.net".
import { AppError } from '../errors.ts';

export function normaliseSite(url: string): string {
  const text = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let host: string;
  try {
    // URL lower-cases the host and drops the scheme's default port (:443 for https, :80 for http).
    host = new URL(withScheme).host;
  } catch {
    throw new AppError('bad_request', `Not a ConnectWise site: ${JSON.stringify(url)}`);
  }
  host = host.replace(/\.$/, '').replace(/\.:/, ':');
  if (!host || text === '') throw new AppError('bad_request', 'ConnectWise site is required');
  return host;
}
