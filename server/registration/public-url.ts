// Where ConnectWise loads the pod from. PUBLIC_URL when set. For the sandbox tenant, whose site is this
// server itself, the other loopback name of it: the host page frames the pod from a different origin, as
// ConnectWise does. One rule for the sandbox boot, the setup button and the CLI, so none registers twice.
export function publicUrlFor(
  tenant: { cwRegion: string; cwSite: string },
  configured: string | undefined,
): string | undefined {
  if (configured) return configured;
  if (tenant.cwRegion !== 'sandbox') return undefined;
  const url = new URL(`http://${tenant.cwSite}`);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  else if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.origin;
}
