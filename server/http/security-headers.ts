// The security headers of every answer, and the Content-Security-Policy of each page. The Vite build emits
// no inline script (one module script and stylesheets from /assets), so no page needs 'unsafe-inline'; the
// home page's one inline <style> is allowed by its hash. Framing: only the pages ConnectWise frames (the pod,
// and the app the Companies › Pax8 entry opens inside ConnectWise) name frame-ancestors; every other answer
// says 'none' and X-Frame-Options DENY.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

/** HSTS only in live mode: the sandbox runs on plain http://127.0.0.1. One year, subdomains included. */
export const hstsValue = 'max-age=31536000; includeSubDomains';

export const permissionsPolicy =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

/** What an answer that is not a page may do when rendered: nothing. */
export const noContentCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export type PageCspOptions = {
  /** Origins allowed to frame the page; 'none' (or an empty list) when nobody may. */
  frameAncestors: readonly string[] | 'none';
  /** sha256 sources of inline <style> elements the page carries. */
  styleHashes?: readonly string[];
  /** Origins the page may frame (the sandbox host page frames the pod). */
  frameSrc?: readonly string[];
};

/** 'none', or an empty list (a tenant with no known ConnectWise origin): nobody may frame the page. */
const framedByNobody = (o: PageCspOptions) => o.frameAncestors === 'none' || o.frameAncestors.length === 0;

export function pageCsp(o: PageCspOptions): string {
  const ancestors = framedByNobody(o) ? "'none'" : [...new Set(o.frameAncestors)].join(' ');
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    ['style-src', "'self'", ...(o.styleHashes ?? [])].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${o.frameSrc?.length ? ["'self'", ...o.frameSrc].join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ];
  return directives.join('; ');
}

/** The CSP source for an inline <style> or <script> body. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

/** The headers every answer that is not a page carries. */
export function baseSecurityHeaders(o: { live: boolean }): [string, string][] {
  return [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['Permissions-Policy', permissionsPolicy],
    ['Content-Security-Policy', noContentCsp],
    ['X-Frame-Options', 'DENY'],
    ...(o.live ? ([['Strict-Transport-Security', hstsValue]] as [string, string][]) : []),
  ];
}

/**
 * Sets the headers every answer carries before the handler runs (so the answer is built with them, not
 * copied afterwards); a page handler replaces the CSP and drops X-Frame-Options when it may be framed.
 */
export function securityHeaders(o: { live: boolean }): MiddlewareHandler {
  const base = baseSecurityHeaders(o);
  return async (c, next) => {
    for (const [name, value] of base) c.header(name, value);
    await next();
    restoreSecurityHeaders(c, base);
  };
}

/** A handler that returned a Response of its own (not built through c) lost the base headers: copy them over. */
export function restoreSecurityHeaders(c: Context, base: readonly (readonly [string, string])[]): void {
  if (c.res.headers.has('X-Content-Type-Options')) return;
  c.res = new Response(c.res.body, c.res);
  for (const [name, value] of base) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
}

/** Marks an answer as a page that `frameAncestors` may frame (or nobody, with X-Frame-Options DENY). */
export function setPageHeaders(c: Context, o: PageCspOptions): void {
  c.header('Content-Security-Policy', pageCsp(o));
  if (framedByNobody(o)) c.header('X-Frame-Options', 'DENY');
  else c.header('X-Frame-Options', undefined);
}
